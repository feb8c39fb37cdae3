import { checkLoginUrl, checkReturnUrl } from '../../src/connections/urls';

const prod = { defaultLoginUrl: 'https://login.salesforce.com', localMode: false };
const local = { defaultLoginUrl: 'http://127.0.0.1:4010', localMode: true };

describe('checkLoginUrl', () => {
  it.each([
    ['https://login.salesforce.com', 'https://login.salesforce.com'],
    ['https://test.salesforce.com/', 'https://test.salesforce.com'],
    ['https://acme.my.salesforce.com', 'https://acme.my.salesforce.com'],
    ['https://acme--uat.sandbox.my.salesforce.com', 'https://acme--uat.sandbox.my.salesforce.com'],
  ])('accepts the Salesforce login host %s (Salesforce Help "My Domain URL Formats")', (raw, origin) => {
    expect(checkLoginUrl(raw, prod)).toEqual({ ok: true, value: origin });
  });

  it.each([
    ['http://login.salesforce.com', /https/],
    ['https://evil.example.com', /Salesforce login host/],
    ['https://login.salesforce.com.evil.example', /Salesforce login host/],
    ['https://evilsalesforce.com', /Salesforce login host/],
    ['https://user:pw@login.salesforce.com', /user information/],
    ['https://login.salesforce.com/services/oauth2', /origin only/],
    ['https://login.salesforce.com?x=1', /origin only/],
    ['https://login.salesforce.com#frag', /origin only/],
    ['javascript:alert(1)', /https/],
    ['not a url', /absolute URL/],
    ['http://127.0.0.1:4010', /https/],
  ])('rejects %s', (raw, message) => {
    const r = checkLoginUrl(raw, prod);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });

  it('allows plain-http loopback only in local mode', () => {
    expect(checkLoginUrl('http://127.0.0.1:4010', local)).toEqual({ ok: true, value: 'http://127.0.0.1:4010' });
    expect(checkLoginUrl('http://localhost:5000', local).ok).toBe(true);
    expect(checkLoginUrl('http://10.0.0.5:4010', local).ok).toBe(false);
  });

  it('trusts the configured SF_LOGIN_URL as it is, even over http (an operator-run test rig)', () => {
    const rig = { defaultLoginUrl: 'http://127.0.0.1:7000', localMode: false };
    expect(checkLoginUrl('http://127.0.0.1:7000', rig)).toEqual({ ok: true, value: 'http://127.0.0.1:7000' });
    expect(checkLoginUrl('http://127.0.0.1:7001', rig).ok).toBe(true);
    expect(checkLoginUrl('http://10.0.0.5:7000', rig).ok).toBe(false);
    expect(checkLoginUrl('https://evil.example.com', rig).ok).toBe(false);
  });
});

describe('checkReturnUrl (no open redirect)', () => {
  const opts = {
    allowedOrigins: ['https://app.credspark.com'],
    publicUrl: 'https://connector.credspark.com',
    localMode: false,
  };

  it('accepts URLs on an allowed origin, keeping path and query', () => {
    expect(checkReturnUrl('https://app.credspark.com/settings/salesforce?tab=1', opts)).toEqual({
      ok: true,
      value: 'https://app.credspark.com/settings/salesforce?tab=1',
    });
  });

  it.each([
    'https://evil.example.com/',
    'https://app.credspark.com.evil.example/',
    'http://app.credspark.com/',
    'https://app.credspark.com@evil.example/',
    'https://user@app.credspark.com/',
    '//evil.example.com/',
    '/relative/path',
    'javascript:alert(1)',
    'https://connector.credspark.com/',
  ])('rejects %s', (raw) => {
    expect(checkReturnUrl(raw, opts).ok).toBe(false);
  });

  it('explains which setting lists the allowed origins', () => {
    const r = checkReturnUrl('https://evil.example.com/', opts);
    expect(r.ok || r.message).toMatch(/ALLOWED_RETURN_ORIGINS/);
  });

  it('accepts any http(s) URL when ALLOWED_RETURN_ORIGINS is unset, still refusing user info and other schemes', () => {
    const open = { allowedOrigins: [], publicUrl: 'https://connector.credspark.com', localMode: false };
    expect(checkReturnUrl('https://app.example.org/done?x=1', open)).toEqual({
      ok: true,
      value: 'https://app.example.org/done?x=1',
    });
    expect(checkReturnUrl('javascript:alert(1)', open).ok).toBe(false);
    expect(checkReturnUrl('https://user@app.example.org/', open).ok).toBe(false);
    expect(checkReturnUrl('/relative/path', open).ok).toBe(false);
  });

  it("allows the connector's own origin in local mode", () => {
    const localOpts = { allowedOrigins: [], publicUrl: 'http://localhost:3000', localMode: true };
    expect(checkReturnUrl('http://localhost:3000/demo', localOpts).ok).toBe(true);
    expect(checkReturnUrl('http://localhost:3001/demo', localOpts).ok).toBe(false);
  });
});
