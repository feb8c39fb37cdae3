import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/appConfig';
import { configProblems } from './configProblems';

const full = {
  CREDSPARK_WEBHOOK_SECRET: 'whsec_0123456789abcdef, whsec_second_0123456789',
  CONNECTOR_ADMIN_TOKEN: 'admin-token-0123456789abcdef',
  SF_CLIENT_ID: 'client-id',
  SF_CLIENT_SECRET: 'client-secret',
  TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
};

const problems = configProblems;

describe('configuration (SPEC §6)', () => {
  it('applies the documented defaults and derives values', () => {
    const c = loadConfig(full);
    expect(c).toMatchObject({
      port: 3000,
      publicUrl: 'http://localhost:3000',
      databaseUrl: 'sqlite:./data/connector.db',
      webhookSecrets: ['whsec_0123456789abcdef', 'whsec_second_0123456789'],
      sfLoginUrl: 'https://login.salesforce.com',
      sfApiVersion: '62.0',
      sfNamespace: 'credspark',
      localMode: false,
      logLevel: 'info',
    });
    expect(c.tokenKeys.map((k) => k.length)).toEqual([32]);
    expect(
      loadConfig({ ...full, PORT: '8080', PUBLIC_URL: 'https://connector.example.com/', SF_NAMESPACE: '' }),
    ).toMatchObject({
      port: 8080,
      publicUrl: 'https://connector.example.com',
      sfNamespace: '',
    });
  });

  it('names each malformed variable on its own line', () => {
    const lines = problems({
      ...full,
      PORT: 'abc',
      TOKEN_ENCRYPTION_KEY: 'c2hvcnQ=',
      DATABASE_URL: 'mysql://x',
      SF_API_VERSION: 'v62',
    });
    expect(lines).toHaveLength(4);
    for (const name of ['PORT', 'TOKEN_ENCRYPTION_KEY', 'DATABASE_URL', 'SF_API_VERSION']) {
      expect(lines.filter((l) => l.startsWith(`${name}: `))).toHaveLength(1);
    }
    expect(lines.find((l) => l.startsWith('TOKEN_ENCRYPTION_KEY'))).toMatch(/32 bytes/);
  });

  it('local mode when no credential is set: generated secrets', () => {
    const a = loadConfig({});
    const b = loadConfig({});
    expect(a.localMode).toBe(true);
    expect(a.webhookSecrets[0].length).toBeGreaterThanOrEqual(16);
    expect(a.adminToken.length).toBeGreaterThanOrEqual(24);
    expect(a.tokenKeys[0].length).toBe(32);
    expect(a.adminToken).not.toBe(b.adminToken);
  });

  it('partially set credentials are an error naming each missing one, not local mode', () => {
    const lines = problems({ CREDSPARK_WEBHOOK_SECRET: full.CREDSPARK_WEBHOOK_SECRET, SF_CLIENT_ID: 'x' });
    expect(lines.map((l) => l.split(':')[0]).sort()).toEqual([
      'CONNECTOR_ADMIN_TOKEN',
      'SF_CLIENT_SECRET',
      'TOKEN_ENCRYPTION_KEY',
    ]);
  });

  it('reads the per-org write cap and the retention (defaults 1 and 30 days; 0 keeps everything)', () => {
    expect(loadConfig(full).worker).toMatchObject({ maxBatchesPerOrg: 1, retentionDays: 30 });
    expect(
      loadConfig({ ...full, SF_MAX_CONCURRENT_WRITES_PER_ORG: '3', EVENT_RETENTION_DAYS: '0' }).worker,
    ).toMatchObject({ maxBatchesPerOrg: 3, retentionDays: 0 });
    expect(problems({ ...full, SF_MAX_CONCURRENT_WRITES_PER_ORG: '0' })).toEqual([
      expect.stringMatching(/^SF_MAX_CONCURRENT_WRITES_PER_ORG: /),
    ]);
  });

  it('RETRY_REQUEST_POLL_SECONDS (SPEC §6): default 300 s, a whole number of seconds from 10, else one line naming it', () => {
    expect(loadConfig(full).worker.retryRequestPollMs).toBe(300_000);
    expect(loadConfig({ ...full, RETRY_REQUEST_POLL_SECONDS: '60' }).worker.retryRequestPollMs).toBe(60_000);
    for (const bad of ['5', '1.5', 'soon', '-1'])
      expect(problems({ ...full, RETRY_REQUEST_POLL_SECONDS: bad })).toEqual([
        expect.stringMatching(/^RETRY_REQUEST_POLL_SECONDS: must be a whole number from 10 to 86400/),
      ]);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ ...full, PORT: '' }).port).toBe(3000);
  });
});

describe('start-up with a bad environment (tsx src/main.ts)', () => {
  const connectorDir = join(__dirname, '..', '..');
  const run = (env: Record<string, string>) =>
    spawnSync(join(connectorDir, '..', 'node_modules', '.bin', 'tsx'), ['src/main.ts'], {
      cwd: connectorDir,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      encoding: 'utf8',
      timeout: 30_000,
    });

  it('exits non-zero with one clear line per problem, naming the variable', () => {
    const r = run({ ...full, PORT: '99999', TOKEN_ENCRYPTION_KEY: 'c2hvcnQ=' });
    expect(r.status).toBe(78);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.find((l) => l.includes('PORT'))).toMatch(/^Configuration error: PORT: /);
    expect(lines.find((l) => l.includes('TOKEN_ENCRYPTION_KEY'))).toMatch(
      /^Configuration error: TOKEN_ENCRYPTION_KEY: must be 32 bytes/,
    );
    expect(r.stdout).toBe('');
  }, 40_000);

  it('exits non-zero naming the missing credentials when only some are set', () => {
    const r = run({ SF_CLIENT_ID: 'x' });
    expect(r.status).toBe(78);
    expect(r.stderr).toMatch(/Configuration error: CREDSPARK_WEBHOOK_SECRET: is required/);
    expect(r.stderr.trim().split('\n')).toHaveLength(4);
  }, 40_000);
});
