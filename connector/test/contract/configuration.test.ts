import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../../src/config/appConfig';
import { configProblems } from '../app/configProblems';
import { CONNECTOR_DIR, freePort } from '../app/processes';
import { api, BASE_ENV, deliver, sampleEvent, startContractApp, type ContractApp } from './harness';

/**
 * SPEC §6 "Configuration (contract)": "validated at start-up (a missing or malformed one stops it
 * with one clear line naming it)", the defaults of the table, and local mode. loadConfig is what
 * start-up runs (src/main.ts prints each problem as one `Configuration error: NAME: …` line and
 * exits 78); the process itself is started where the clause is about the running connector.
 */
const CREDENTIALS = {
  CREDSPARK_WEBHOOK_SECRET: 'whsec_config_0123456789',
  CONNECTOR_ADMIN_TOKEN: 'config-admin-token-0123456789',
  SF_CLIENT_ID: 'client-id',
  SF_CLIENT_SECRET: 'client-secret',
  TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
};

const problems = configProblems;

const MAIN = join(CONNECTOR_DIR, 'src', 'main.ts');
const TSX = pathToFileURL(require.resolve('tsx', { paths: [CONNECTOR_DIR] })).href;
const childEnv = (env: Record<string, string>) => ({
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '',
  ...env,
});

describe('§6 defaults: "PORT 3000, PUBLIC_URL http://localhost:$PORT, DATABASE_URL sqlite:./data/connector.db, SF_LOGIN_URL https://login.salesforce.com, SF_API_VERSION a current one, SF_NAMESPACE credspark"', () => {
  it('with only the credentials set, every default of the table applies', () => {
    expect(loadConfig(CREDENTIALS)).toMatchObject({
      port: 3000,
      publicUrl: 'http://localhost:3000',
      databaseUrl: 'sqlite:./data/connector.db',
      sfLoginUrl: 'https://login.salesforce.com',
      sfApiVersion: '62.0',
      sfNamespace: 'credspark',
      localMode: false,
    });
  });

  it('"SF_LOGIN_URL default Salesforce login host": an origin, a trailing slash dropped', () => {
    for (const v of ['https://test.salesforce.com', 'https://acme.my.salesforce.com/', 'http://127.0.0.1:4500']) {
      expect(loadConfig({ ...CREDENTIALS, SF_LOGIN_URL: v }).sfLoginUrl).toBe(v.replace(/\/$/, ''));
    }
  });

  it('ALLOWED_RETURN_ORIGINS (beyond SPEC): comma-separated origins, a trailing slash tolerated', () => {
    expect(
      loadConfig({ ...CREDENTIALS, ALLOWED_RETURN_ORIGINS: 'https://app.credspark.com/, http://localhost:5173' })
        .allowedReturnOrigins,
    ).toEqual(['https://app.credspark.com/', 'http://localhost:5173']);
  });

  it('"PUBLIC_URL … http://localhost:$PORT" follows PORT', () => {
    expect(loadConfig({ ...CREDENTIALS, PORT: '8443' }).publicUrl).toBe('http://localhost:8443');
  });

  it('"SF_NAMESPACE … (empty for an unpackaged dev org)": an empty value is kept empty, not defaulted', () => {
    expect(loadConfig({ ...CREDENTIALS, SF_NAMESPACE: '' }).sfNamespace).toBe('');
    expect(loadConfig({ ...CREDENTIALS, SF_NAMESPACE: 'acme' }).sfNamespace).toBe('acme');
  });

  it('"CREDSPARK_WEBHOOK_SECRET webhook signing secret(s), comma-separated"', () => {
    expect(
      loadConfig({ ...CREDENTIALS, CREDSPARK_WEBHOOK_SECRET: 'one_0123456789, two_0123456789' }).webhookSecrets,
    ).toEqual(['one_0123456789', 'two_0123456789']);
  });

  it('"TOKEN_ENCRYPTION_KEY 32 bytes, base64": standard, URL-safe and unpadded base64 of 32 bytes are accepted', () => {
    const key = randomBytes(32);
    for (const encoded of [
      key.toString('base64'),
      key.toString('base64url'),
      key.toString('base64').replace(/=+$/, ''),
    ]) {
      expect(loadConfig({ ...CREDENTIALS, TOKEN_ENCRYPTION_KEY: encoded }).tokenKeys[0].equals(key)).toBe(true);
    }
  });

  describe('the running connector (src/main.ts started in an empty directory)', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'contract-config-'));
    });
    afterEach(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    it('listens on PORT, stores in ./data/connector.db, and builds redirect_uri from the default PUBLIC_URL and the authorize URL from the default SF_LOGIN_URL', async () => {
      const port = await freePort();
      const child = spawn(process.execPath, ['--import', TSX, MAIN], {
        cwd: dir,
        env: childEnv({ ...CREDENTIALS, PORT: String(port), LOG_LEVEL: 'error' }),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      try {
        const base = `http://127.0.0.1:${port}`;
        const deadline = Date.now() + 30_000;
        let up = false;
        while (!up && Date.now() < deadline) {
          up = await fetch(`${base}/healthz`).then(
            (r) => r.ok,
            () => false,
          );
          if (!up) await new Promise((r) => setTimeout(r, 100));
        }
        expect(up).toBe(true);
        expect(existsSync(join(dir, 'data', 'connector.db'))).toBe(true);
        const r = await api(base, '/api/accounts/acc_42/connect', {
          method: 'POST',
          body: {},
          token: CREDENTIALS.CONNECTOR_ADMIN_TOKEN,
        });
        expect(r.status).toBe(200);
        const url = new URL(r.json.authorizeUrl);
        expect(url.origin).toBe('https://login.salesforce.com');
        expect(url.searchParams.get('redirect_uri')).toBe(`http://localhost:${port}/oauth/callback`);
      } finally {
        child.kill('SIGTERM');
        expect(await exited).toBe(0);
      }
    }, 60_000);
  });
});

describe('§6 "validated at start-up (a missing or malformed one stops it with one clear line naming it)"', () => {
  const malformed: [string, string][] = [
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['PORT', '1e3'],
    ['PORT', ' '],
    ['PUBLIC_URL', 'connector.example.com'],
    ['PUBLIC_URL', 'ftp://connector.example.com'],
    ['PUBLIC_URL', 'javascript:alert(1)'],
    ['DATABASE_URL', 'mysql://db/x'],
    ['DATABASE_URL', 'sqlite:'],
    ['DATABASE_URL', './connector.db'],
    ['CREDSPARK_WEBHOOK_SECRET', ' , '],
    ['CONNECTOR_ADMIN_TOKEN', 'two words'],
    ['SF_LOGIN_URL', 'login.salesforce.com'],
    ['SF_LOGIN_URL', 'mailto:admin@example.com'],
    ['SF_LOGIN_URL', 'https://login.salesforce.com/services/oauth2'],
    ['SF_LOGIN_URL', 'https://login.salesforce.com?x=1'],
    ['ALLOWED_RETURN_ORIGINS', 'app.credspark.com'],
    ['ALLOWED_RETURN_ORIGINS', 'https://app.credspark.com, https://app.credspark.com/settings'],
    ['SF_API_VERSION', 'v62'],
    ['SF_API_VERSION', 'latest'],
    ['SF_NAMESPACE', '1credspark'],
    ['SF_NAMESPACE', 'cred-spark'],
    ['TOKEN_ENCRYPTION_KEY', Buffer.alloc(16, 1).toString('base64')],
    ['TOKEN_ENCRYPTION_KEY', Buffer.alloc(32, 1).toString('hex')],
    ['TOKEN_ENCRYPTION_KEY', `${Buffer.alloc(32, 1).toString('base64').slice(0, -2)}!=`],
  ];

  it.each(malformed)('%s=%j: exactly one line, naming the variable', (name, value) => {
    const lines = problems({ ...CREDENTIALS, [name]: value });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^${name}: \\S`));
    // Secrets are never echoed back (the line may end up in a log).
    if (/TOKEN|SECRET|KEY/.test(name)) expect(lines[0]).not.toContain(value.trim());
  });

  it.each(Object.keys(CREDENTIALS))('missing %s (the others set): one line naming it', (name) => {
    const env: Record<string, string> = { ...CREDENTIALS };
    delete env[name];
    expect(problems(env)).toEqual([expect.stringMatching(new RegExp(`^${name}: .*required`))]);
  });

  it('several bad variables: one line each, and the process stops (exit 78) printing only those lines', () => {
    const r = spawnSync(process.execPath, ['--import', TSX, MAIN], {
      cwd: CONNECTOR_DIR,
      env: childEnv({
        ...CREDENTIALS,
        CONNECTOR_ADMIN_TOKEN: '',
        PORT: 'eighty',
        SF_API_VERSION: 'v62',
        TOKEN_ENCRYPTION_KEY: 'c2hvcnQ=',
      }),
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).toBe(78);
    const lines = r.stderr.trim().split('\n');
    expect(lines.map((l) => /^Configuration error: ([A-Z_]+): \S/.exec(l)?.[1]).sort()).toEqual([
      'CONNECTOR_ADMIN_TOKEN',
      'PORT',
      'SF_API_VERSION',
      'TOKEN_ENCRYPTION_KEY',
    ]);
    expect(r.stdout).toBe('');
  }, 40_000);
});

describe('§6 "Started with none of the credentials above, it runs in a clearly announced local mode"', () => {
  it('none of the five credentials set → local mode with generated secrets (and a 32-byte key)', () => {
    const c = loadConfig({});
    expect(c.localMode).toBe(true);
    expect(c.webhookSecrets).toHaveLength(1);
    expect(c.adminToken).not.toBe(loadConfig({}).adminToken);
    expect(c.tokenKeys[0]).toHaveLength(32);
  });

  it('set but empty counts as not set (FOO= npm start)', () => {
    const empty = Object.fromEntries(Object.keys(CREDENTIALS).map((k) => [k, '']));
    expect(loadConfig(empty).localMode).toBe(true);
  });

  it('any credential set → not local mode: the missing ones are errors', () => {
    expect(problems({ SF_CLIENT_ID: 'x' })).toHaveLength(4);
  });
  // The announced local mode end to end (banner, embedded org, demo account, a Contact created):
  // connector/test/app/localMode.test.ts "starts announced, and the printed send-webhook command
  // creates a Contact in the local org".
});

describe('§6 the variables reach the running app', () => {
  let h: ContractApp | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('CONNECTOR_ADMIN_TOKEN is the bearer of the admin API; CREDSPARK_WEBHOOK_SECRET signs webhooks', async () => {
    h = await startContractApp({
      realConnections: true,
      env: { CONNECTOR_ADMIN_TOKEN: 'env-token-0123456789abcdef', CREDSPARK_WEBHOOK_SECRET: 'whsec_env_0123456789' },
    });
    expect((await api(h.url, '/api/accounts/acc_42/connection', { token: 'env-token-0123456789abcdef' })).status).toBe(
      200,
    );
    expect(
      (await api(h.url, '/api/accounts/acc_42/connection', { token: BASE_ENV.CONNECTOR_ADMIN_TOKEN })).status,
    ).toBe(401);
    expect((await deliver(h.url, sampleEvent(), { secret: 'whsec_env_0123456789' })).status).toBe(200); // ignored: not connected
    expect((await deliver(h.url, sampleEvent(), { secret: BASE_ENV.CREDSPARK_WEBHOOK_SECRET })).status).toBe(401);
  });
});
