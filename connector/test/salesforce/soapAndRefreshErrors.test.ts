import { classifySalesforceError } from '../../src/salesforce/errors';

/**
 * Error shapes other than REST's JSON list: Metadata API SOAP faults as jsforce 3 reports them
 * (soap.js parseError: `errorCode` = the faultcode, XML prefix included), and token-refresh
 * failures after jsforce re-wraps them (session-refresh-delegate.js:
 * "Unable to refresh session due to: <message>").
 */
describe('classifySalesforceError: SOAP faults and wrapped refresh failures', () => {
  it.each([
    ['sf:REQUEST_LIMIT_EXCEEDED', true, 'REQUEST_LIMIT_EXCEEDED'],
    ['sf:INVALID_SESSION_ID', true, 'INVALID_SESSION_ID'],
    ['sf:INSUFFICIENT_ACCESS', false, 'INSUFFICIENT_ACCESS'],
  ])('SOAP faultcode %s → retryable %s as %s', (faultcode, retryable, code) => {
    expect(classifySalesforceError({ errorCode: faultcode, message: 'fault' })).toMatchObject({ retryable, code });
  });

  it.each([
    ['Unable to refresh session due to: http_503: Salesforce answered HTTP 503', true, 'OAUTH_HTTP_503'],
    ['Unable to refresh session due to: http_429: Salesforce answered HTTP 429', true, 'OAUTH_HTTP_429'],
    ['Unable to refresh session due to: temporarily_unavailable: try later', true, 'OAUTH_TEMPORARILY_UNAVAILABLE'],
    ['Unable to refresh session due to: invalid_grant: expired access/refresh token', false, 'NOT_CONNECTED'],
    ['Unable to refresh session due to: http_400: Salesforce answered HTTP 400', false, 'SALESFORCE_ERROR'],
  ])('%s → retryable %s (%s)', (message, retryable, code) => {
    expect(classifySalesforceError(new Error(message))).toMatchObject({ retryable, code });
  });

  // RFC 6749 §5.2: invalid_client = the client's own authentication failed (a rotated consumer
  // secret). The response is not at fault, so it waits for the operator instead of failing.
  it('a refresh refused with invalid_client waits for the operator (retry with a long hint) and says what to fix', () => {
    const c = classifySalesforceError(
      new Error('Unable to refresh session due to: invalid_client: invalid client credentials'),
    );
    expect(c).toMatchObject({ retryable: true, code: 'OAUTH_INVALID_CLIENT' });
    expect(c.retryAfterMs).toBeGreaterThanOrEqual(60_000);
    expect(c.message).toMatch(/SF_CLIENT_SECRET/);
  });
});
