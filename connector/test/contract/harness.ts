import { createHmac, randomBytes } from 'node:crypto';
import type { Connection } from 'jsforce';
import type { ConnectorApp } from '../../src/app';
import type { AppConfig } from '../../src/config/appConfig';
import { ConnectionService } from '../../src/connections';
import { InteractionWriter } from '../../src/mirror/writer';
import type { Store } from '../../src/store/types';
import type { LocalOrg } from '@credspark/local-org';
import { completedEvent, startTestApp, type RecordingSync } from '../app/harness';
import { freePort } from '../app/processes';
import { consent } from '../connections/consent';

/**
 * The connector as the contract tests see it: the real HTTP app (createApp) on 127.0.0.1:0 with a
 * real SQLite file store, configured through the SPEC §6 variables. Requests go through fetch only;
 * signatures are computed here from the SPEC §4 formula, not with the connector's own helpers.
 */
export const SECRET = 'whsec_contract_0123456789abcdef';
export const ADMIN_TOKEN = 'contract-admin-token-0123456789abcdef';

export const BASE_ENV: Record<string, string> = {
  CREDSPARK_WEBHOOK_SECRET: SECRET,
  CONNECTOR_ADMIN_TOKEN: ADMIN_TOKEN,
  SF_CLIENT_ID: 'contract-client-id',
  SF_CLIENT_SECRET: 'contract-client-secret',
  TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  LOG_LEVEL: 'silent',
};

export interface ContractApp {
  url: string;
  store: Store;
  config: AppConfig;
  app: ConnectorApp;
  sync: RecordingSync;
  /** Set when started with `realConnections`. */
  connections?: ConnectionService;
  /** The interaction mirror writing through `connections`, set with them. */
  mirror?: InteractionWriter;
  close(): Promise<void>;
}

export async function startContractApp(
  opts: {
    env?: Record<string, string>;
    clock?: () => Date;
    store?: Store;
    /** Mount the real ConnectionService (connect / connection / callback routes). */
    realConnections?: boolean;
    /** Listen on this port instead of an ephemeral one (0). */
    port?: number;
  } = {},
): Promise<ContractApp> {
  const t = await startTestApp({
    env: { ...BASE_ENV, ...opts.env },
    store: opts.store,
    clock: opts.clock,
    port: opts.port,
    realConnections: opts.realConnections,
  });
  const { connections, mirror, ...rest } = t;
  return connections instanceof ConnectionService && mirror instanceof InteractionWriter
    ? { ...rest, connections, mirror }
    : rest;
}

/** SPEC §4: hex = HMAC-SHA256(secret, "<t>.<raw request body>"). */
export function sign(secret: string, t: number, raw: string | Buffer): string {
  return createHmac('sha256', secret).update(`${t}.`).update(raw).digest('hex');
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

export interface Reply {
  status: number;
  json: any;
  text: string;
  headers: Headers;
}

export async function reply(res: Response): Promise<Reply> {
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text, headers: res.headers };
}

/** POST /webhooks/credspark; `signature` overrides the header (null: none), else signed with SECRET now. */
export async function deliver(
  url: string,
  body: unknown,
  opts: {
    signature?: string | null;
    contentType?: string | null;
    t?: number;
    secret?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<Reply> {
  const raw = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const t = opts.t ?? nowSeconds();
  const signature = opts.signature === undefined ? `t=${t},v1=${sign(opts.secret ?? SECRET, t, raw)}` : opts.signature;
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.contentType !== null) headers['content-type'] = opts.contentType ?? 'application/json';
  if (signature !== null) headers['credspark-signature'] = signature;
  // A Uint8Array body: fetch would label a string body text/plain when no content type is given.
  const bytes = new Uint8Array(Buffer.isBuffer(raw) ? raw : Buffer.from(raw, 'utf8'));
  return reply(await fetch(`${url}/webhooks/credspark`, { method: 'POST', headers, body: bytes }));
}

/** An admin API call with the bearer (token null: no Authorization header). */
export async function api(
  url: string,
  path: string,
  init: { method?: string; body?: unknown; token?: string | null; authorization?: string } = {},
): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (init.authorization !== undefined) headers.authorization = init.authorization;
  else if (init.token !== null) headers.authorization = `Bearer ${init.token ?? ADMIN_TOKEN}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  return reply(
    await fetch(url + path, {
      method: init.method ?? 'GET',
      headers,
      redirect: 'manual',
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    }),
  );
}

/** The app with the real ConnectionService, pointed at a local org's demo connected app, on a free
 *  port (PUBLIC_URL follows it, so the OAuth callback comes back to this app). */
export async function startContractAppOnOrg(org: LocalOrg, env: Record<string, string> = {}): Promise<ContractApp> {
  const port = await freePort();
  return startContractApp({
    realConnections: true,
    port,
    env: {
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      SF_LOGIN_URL: org.url,
      SF_CLIENT_ID: org.demo.clientId,
      SF_CLIENT_SECRET: org.demo.clientSecret,
      ...env,
    },
  });
}

/**
 * acc_42 connected to the app's org as an admin does it: POST connect, "Allow" on the org's consent
 * page, the OAuth callback back to the app (an app from startContractAppOnOrg, the org's consent
 * page not auto-approving). Returns the connector's own jsforce Connection for acc_42.
 */
export async function connectThroughConsent(h: ContractApp): Promise<Connection> {
  const r = await api(h.url, '/api/accounts/acc_42/connect', { method: 'POST', body: {} });
  expect(r.status).toBe(200);
  const cb = await fetch(await consent(String(r.json.authorizeUrl), 'allow'), { redirect: 'manual' });
  expect(cb.status).toBeLessThan(400);
  return (await h.connections!.getSalesforceConnection('acc_42')).conn;
}

/** The SPEC §4 sample event, with a fresh id and responseId unless given (app harness's). */
export const sampleEvent = completedEvent;
