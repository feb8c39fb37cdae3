import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { soqlString } from '../salesforce/soql';

/**
 * Salesforce's OAuth 2.0 endpoints, called directly (Salesforce Help "OAuth 2.0 Web Server Flow
 * for Web App Integration", "OAuth 2.0 Refresh Token Flow", "Revoke OAuth Tokens", "Identity
 * URLs"). We do not use jsforce's `useVerifier`: its verifier is 171 characters, beyond the
 * 43–128 RFC 7636 allows, and it sends no `code_challenge_method`.
 */
const TIMEOUT_MS = 15_000;

export class OAuthError extends Error {
  constructor(
    /** The OAuth `error` (e.g. invalid_grant) or `http_<status>` / `network`. */
    readonly oauthError: string,
    description: string,
    readonly status?: number,
  ) {
    // The OAuth error code leads the message so it survives jsforce's re-wrapping of refresh errors.
    super(`${oauthError}: ${description}`);
    this.name = oauthError;
  }
}

/** PKCE (RFC 7636): 64 random bytes → an 86-character base64url verifier; S256 challenge. */
export function newPkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(64).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** 32 random bytes, base64url: the clear `state` only travels in the URL; the store keeps its hash. */
export function newState(): string {
  return randomBytes(32).toString('base64url');
}

export function hashState(state: string): string {
  return createHash('sha256').update(state).digest('hex');
}

export function authorizeUrl(p: {
  loginUrl: string;
  clientId: string;
  redirectUri: string;
  state: string;
  challenge: string;
}): string {
  const url = new URL('/services/oauth2/authorize', p.loginUrl);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: p.clientId,
    redirect_uri: p.redirectUri,
    scope: 'api refresh_token',
    state: p.state,
    code_challenge: p.challenge,
    code_challenge_method: 'S256',
  }).toString();
  return url.href;
}

const tokenResponse = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  instance_url: z.string().url(),
  /** Identity URL: https://login.salesforce.com/id/<orgId>/<userId> */
  id: z.string().url(),
  issued_at: z.string().optional(),
});
export type TokenResponse = z.infer<typeof tokenResponse>;

/**
 * "OAuth 2.0 Refresh Token Flow" (Salesforce Help): the response carries a new `access_token` and,
 * usually, no `refresh_token` (only when the connected app rotates refresh tokens). Only the
 * access token is needed to go on: `instance_url` and `id` are read when present, never required.
 */
const refreshResponse = tokenResponse.extend({
  instance_url: z.string().url().optional(),
  id: z.string().url().optional(),
});
export type RefreshResponse = z.infer<typeof refreshResponse>;

const identityResponse = z.object({
  user_id: z.string().min(1),
  organization_id: z.string().min(1),
  username: z.string().min(1),
});
export type Identity = z.infer<typeof identityResponse>;

export interface OAuthClientConfig {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

export async function exchangeCode(
  loginUrl: string,
  cfg: OAuthClientConfig,
  code: string,
  verifier: string,
): Promise<TokenResponse> {
  const body = await postForm(new URL('/services/oauth2/token', loginUrl).href, {
    grant_type: 'authorization_code',
    code,
    client_id: cfg.clientId,
    client_secret: cfg.clientSecret,
    redirect_uri: cfg.redirectUri,
    code_verifier: verifier,
  });
  return parseOrThrow(tokenResponse, body, 'token response');
}

/** The response may carry a new `refresh_token` when the connected app rotates them. */
export async function refreshAccessToken(
  loginUrl: string,
  cfg: OAuthClientConfig,
  refreshToken: string,
): Promise<RefreshResponse> {
  const body = await postForm(new URL('/services/oauth2/token', loginUrl).href, {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: cfg.clientId,
    client_secret: cfg.clientSecret,
  });
  return parseOrThrow(refreshResponse, body, 'token response');
}

/** Revoking a refresh token also revokes the access tokens issued from it. */
export async function revokeToken(loginUrl: string, token: string): Promise<void> {
  await postForm(new URL('/services/oauth2/revoke', loginUrl).href, { token }, false);
}

/** OpenID Connect UserInfo ("UserInfo Endpoint", Salesforce Help): the same facts, other names. */
const userInfoResponse = z
  .object({ user_id: z.string().min(1), organization_id: z.string().min(1), preferred_username: z.string().min(1) })
  .transform((u) => ({ user_id: u.user_id, organization_id: u.organization_id, username: u.preferred_username }));

/** Where the connector's REST calls go: the token response's `instance_url` and the configured API version. */
export interface RestTarget {
  instanceUrl: string;
  apiVersion: string;
  /** Called once per HTTP request sent to Salesforce, with its URL, so the caller can count every call (SPEC §2). */
  onRequest?: (url: string) => void;
}

/** The org and user Ids at the end of the token response's identity URL: `…/id/<orgId>/<userId>`. */
export function idsFromIdentityUrl(idUrl: string): { organization_id: string; user_id: string } | undefined {
  const m = /\/id\/(00D[0-9A-Za-z]{12}(?:[0-9A-Za-z]{3})?)\/(005[0-9A-Za-z]{12}(?:[0-9A-Za-z]{3})?)\/?$/.exec(
    new URL(idUrl).pathname,
  );
  return m ? { organization_id: m[1], user_id: m[2] } : undefined;
}

const userQueryResponse = z.object({
  records: z.array(z.object({ Username: z.string().min(1) })).length(1),
});

/**
 * Who connected, within the scopes the app asks for (SPEC §5: `api refresh_token`). Salesforce Help "OAuth
 * Tokens and Scopes": the identity URL needs the `id` scope (or `profile`, `email`, `address`, `phone`) and
 * UserInfo the `openid` scope, while `api` covers the REST API. So the org and user Ids come from the token
 * response's identity URL itself ("Identity URLs": `https://login.salesforce.com/id/<orgId>/<userId>`) and the
 * username from a REST query of that User record (every user can read their own User record).
 *
 * Only when that query cannot be answered (an org or emulator that does not serve the User object) does it
 * fall back to GET on the identity URL and then the login host's UserInfo endpoint, which a real org answers
 * only for tokens with those extra scopes. The repository's local org serves User, so it takes the first path.
 */
export async function fetchIdentity(
  idUrl: string,
  accessToken: string,
  loginUrl: string,
  rest?: RestTarget,
): Promise<Identity> {
  const headers = { authorization: `Bearer ${accessToken}`, accept: 'application/json' };
  const counted = (url: string, init: RequestInit) => {
    rest?.onRequest?.(url);
    return send(url, init);
  };
  const ids = idsFromIdentityUrl(idUrl);
  if (ids && rest) {
    const soql = `SELECT Username FROM User WHERE Id = ${soqlString(ids.user_id)} LIMIT 1`;
    const url = new URL(`/services/data/v${rest.apiVersion}/query`, rest.instanceUrl);
    url.searchParams.set('q', soql);
    const user = await counted(url.href, { method: 'GET', headers }).then(
      async (res) => (res.ok ? userQueryResponse.safeParse(safeJson(await res.text())) : undefined),
      () => undefined,
    );
    if (user?.success) return { ...ids, username: user.data.records[0].Username };
  }
  // Any failure of the identity URL — refused, unreadable, a redirect, or no answer at all — falls
  // back to UserInfo: the identity URL's host (`id` of the token response) is not the login host
  // we were configured with, and only the login host is known to be reachable.
  const identity = await counted(idUrl, { method: 'GET', headers }).then(
    async (res) => (res.ok ? identityResponse.safeParse(safeJson(await res.text())) : undefined),
    () => undefined,
  );
  if (identity?.success) return identity.data;
  const info = await counted(new URL('/services/oauth2/userinfo', loginUrl).href, { method: 'GET', headers });
  const infoText = await info.text();
  if (!info.ok)
    throw new OAuthError(`http_${info.status}`, 'identity URL and userinfo refused the new access token', info.status);
  return parseOrThrow(userInfoResponse, safeJson(infoText), 'userinfo response');
}

async function postForm(url: string, form: Record<string, string>, expectJson = true): Promise<unknown> {
  const res = await send(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(form).toString(),
  });
  const text = await res.text();
  const json = safeJson(text);
  if (!res.ok) {
    const err = z.object({ error: z.string(), error_description: z.string().optional() }).safeParse(json);
    if (err.success) throw new OAuthError(err.data.error, err.data.error_description ?? err.data.error, res.status);
    throw new OAuthError(`http_${res.status}`, `Salesforce answered HTTP ${res.status}`, res.status);
  }
  return expectJson ? json : undefined;
}

async function send(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (e) {
    throw new OAuthError('network', `could not reach ${new URL(url).origin}: ${(e as Error).message}`);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    // Name the missing fields only: a token response must never reach a log or an error message.
    const fields = parsed.error.issues.map((i) => i.path.join('.')).join(', ');
    throw new OAuthError('invalid_response', `unexpected ${what} (fields: ${fields || 'body'})`);
  }
  return parsed.data;
}
