// OAuth 2.0 endpoints as Salesforce serves them (Salesforce Help "OAuth 2.0 Web Server Flow for
// Web App Integration", "OAuth 2.0 Refresh Token Flow", "Revoke OAuth Tokens", "Identity URLs",
// "OAuth Endpoints"). PKCE: a code_challenge without code_challenge_method is S256.
import express, { type Request, type Response } from 'express';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AuthCode, ConnectedApp, Org, State } from '../state';
import { consentPage, errorPage } from './consent';
import { bearer } from '../rest/common';
import { ensureOrgUser } from '../rules/users';

const CODE_TTL_MS = 15 * 60 * 1000; // Salesforce: authorization codes are valid for 15 minutes.

export function safeEqual(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y) && a.length === b.length;
}

export function callbackAllowed(app: ConnectedApp, uri: string): boolean {
  return app.callbackUrls.some((p) => {
    const re = new RegExp(
      '^' +
        p
          .split('*')
          .map((s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
          .join('\\d+') +
        '$',
    );
    return re.test(uri);
  });
}

const b64url = (b: Buffer) => b.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

function oauthError(res: Response, status: number, error: string, description: string): void {
  res.status(status).json({ error, error_description: description });
}

function redirectWith(res: Response, uri: string, params: Record<string, string | undefined>): void {
  const u = new URL(uri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) u.searchParams.set(k, v);
  res.redirect(302, u.toString());
}

export function oauthRouter(state: State, baseUrl: () => string): express.Router {
  const r = express.Router();
  const form = express.urlencoded({ extended: false, limit: '64kb' });
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  /**
   * Control (test) option: the `instance_url` this org's refresh-token responses carry instead of
   * the server's own URL — an org moved to another instance ("OAuth 2.0 Refresh Token Flow",
   * Salesforce Help: the response returns the org's current instance_url). Keyed by the Org object,
   * so /__local/reset (new Org objects) drops it; not kept in snapshots.
   */
  const movedInstance = new WeakMap<Org, string>();

  // POST /__local/orgs/:orgId/refresh-instance-url {instanceUrl: string | null}. Mounted here (not in
  // control.ts) because only the token endpoint reads it; /__local requests control.ts does not
  // serve fall through to this router.
  r.post('/__local/orgs/:orgId/refresh-instance-url', express.json({ limit: '4kb' }), (req, res) => {
    const org = state.org(String(req.params.orgId));
    if (!org) return void res.status(404).json({ error: 'unknown org' });
    const raw = ((req.body ?? {}) as Record<string, unknown>).instanceUrl;
    if (raw === null) {
      movedInstance.delete(org);
      return void res.json({ instanceUrl: null });
    }
    let ok = false;
    try {
      ok = typeof raw === 'string' && ['http:', 'https:'].includes(new URL(raw).protocol);
    } catch {
      ok = false;
    }
    if (!ok || typeof raw !== 'string')
      return void res.status(400).json({ error: 'instanceUrl must be an absolute http(s) URL or null' });
    // Kept as given (not normalised): a test may hand the connector a URL it must refuse.
    movedInstance.set(org, raw);
    res.json({ instanceUrl: raw });
  });

  function validateAuthorize(p: Record<string, string>, res: Response): ConnectedApp | undefined {
    const app = state.apps.get(p.client_id ?? '');
    if (!app) {
      res.status(400).type('html').send(errorPage('invalid_client_id', 'client identifier invalid'));
      return undefined;
    }
    if (!p.redirect_uri || !callbackAllowed(app, p.redirect_uri)) {
      res.status(400).type('html').send(errorPage('redirect_uri_mismatch', 'redirect_uri must match configuration'));
      return undefined;
    }
    if (p.response_type !== 'code') {
      redirectWith(res, p.redirect_uri, {
        error: 'unsupported_response_type',
        error_description: 'response type not supported',
        state: p.state,
      });
      return undefined;
    }
    if (p.code_challenge_method && p.code_challenge_method !== 'S256') {
      redirectWith(res, p.redirect_uri, {
        error: 'invalid_request',
        error_description: 'unsupported code challenge method',
        state: p.state,
      });
      return undefined;
    }
    return app;
  }

  function issueCode(p: Record<string, string>, org: Org, app: ConnectedApp): string {
    const code = 'aPrx' + b64url(randomBytes(48));
    const c: AuthCode = {
      clientId: app.clientId,
      redirectUri: p.redirect_uri,
      challenge: p.code_challenge || undefined,
      orgId: org.orgId,
      userId: org.userId,
      scope: p.scope || 'api refresh_token',
      expiresAt: Date.now() + CODE_TTL_MS,
      used: false,
    };
    state.codes.set(code, c);
    return code;
  }

  const KEYS = [
    'response_type',
    'client_id',
    'redirect_uri',
    'state',
    'scope',
    'code_challenge',
    'code_challenge_method',
    'prompt',
    'login_hint',
  ];
  const pick = (src: Record<string, unknown>) =>
    Object.fromEntries(KEYS.filter((k) => typeof src[k] === 'string').map((k) => [k, src[k] as string]));

  r.get('/services/oauth2/authorize', (req, res) => {
    const p = pick(req.query);
    const app = validateAuthorize(p, res);
    if (!app) return;
    const demo = state.org(state.demoOrgId)!;
    if (state.autoApprove) return redirectWith(res, p.redirect_uri, { code: issueCode(p, demo, app), state: p.state });
    res
      .status(200)
      .type('html')
      .send(consentPage(app.name, p, p.login_hint || demo.username));
  });

  r.post('/services/oauth2/authorize', form, (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const p = pick(body);
    const app = validateAuthorize(p, res);
    if (!app) return;
    if (str(body.decision) !== 'allow') {
      return redirectWith(res, p.redirect_uri, {
        error: 'access_denied',
        error_description: 'end-user denied authorization',
        state: p.state,
      });
    }
    const username = str(body.username).trim().toLowerCase();
    const org = [...state.orgs.values()].find((o) => o.username.toLowerCase() === username);
    if (!org)
      return void res
        .status(200)
        .type('html')
        .send(
          consentPage(
            app.name,
            p,
            str(body.username),
            "Please check your username and password. If you still can't log in, contact your Salesforce administrator.",
          ),
        );
    redirectWith(res, p.redirect_uri, { code: issueCode(p, org, app), state: p.state });
  });

  function clientOf(req: Request, res: Response, requireSecret: boolean): ConnectedApp | undefined {
    const body = (req.body ?? {}) as Record<string, unknown>;
    let id = str(body.client_id),
      secret = str(body.client_secret);
    const basic = /^Basic\s+(.+)$/i.exec(req.header('authorization') ?? '');
    if (basic) {
      const [u, s] = Buffer.from(basic[1], 'base64').toString().split(':');
      id ||= decodeURIComponent(u ?? '');
      secret ||= decodeURIComponent(s ?? '');
    }
    const app = state.apps.get(id);
    if (!app) {
      oauthError(res, 400, 'invalid_client_id', 'client identifier invalid');
      return undefined;
    }
    if ((requireSecret || secret) && !safeEqual(secret, app.clientSecret)) {
      oauthError(res, 400, 'invalid_client', 'invalid client credentials');
      return undefined;
    }
    return app;
  }

  function tokenBody(
    org: Org,
    app: ConnectedApp,
    accessToken: string,
    scope: string,
    refreshToken?: string,
    instanceUrl = baseUrl(),
  ): Record<string, string> {
    const id = `${baseUrl()}/id/${org.orgId}/${org.userId}`;
    const issuedAt = String(Date.now());
    // signature = Base64(HMAC-SHA256(client secret, id + issued_at)) (Salesforce Help "OAuth 2.0 Web Server Flow").
    const signature = createHmac('sha256', app.clientSecret)
      .update(id + issuedAt)
      .digest('base64');
    return {
      access_token: accessToken,
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
      signature,
      scope,
      instance_url: instanceUrl,
      id,
      token_type: 'Bearer',
      issued_at: issuedAt,
    };
  }

  r.post('/services/oauth2/token', form, (req, res) => {
    res.setHeader('Cache-Control', 'no-cache,must-revalidate,max-age=0,no-store,private');
    const body = (req.body ?? {}) as Record<string, unknown>;
    const grant = str(body.grant_type);
    if (grant === 'authorization_code') {
      const app = clientOf(req, res, false);
      if (!app) return;
      const code = state.codes.get(str(body.code));
      if (!code || code.clientId !== app.clientId)
        return oauthError(res, 400, 'invalid_grant', 'invalid authorization code');
      if (code.used || code.expiresAt < Date.now()) {
        state.codes.delete(str(body.code));
        return oauthError(res, 400, 'invalid_grant', 'expired authorization code');
      }
      code.used = true; // single use, even when the exchange below fails
      if (str(body.redirect_uri) !== code.redirectUri)
        return oauthError(res, 400, 'redirect_uri_mismatch', 'redirect_uri must match configuration');
      if (code.challenge) {
        const v = str(body.code_verifier);
        if (!v || !safeEqual(b64url(createHash('sha256').update(v).digest()), code.challenge))
          return oauthError(res, 400, 'invalid_grant', 'invalid code verifier');
      } else if (!str(body.client_secret) && !/^Basic/i.test(req.header('authorization') ?? '')) {
        return oauthError(res, 400, 'invalid_client', 'invalid client credentials');
      }
      const org = state.org(code.orgId);
      if (!org) return oauthError(res, 400, 'invalid_grant', 'authentication failure');
      state.countOAuth(org); // OAuth requests don't use the API allocation
      const g = { orgId: org.orgId, userId: org.userId, clientId: app.clientId, scope: code.scope };
      const wantsRefresh = /\b(refresh_token|offline_access|full)\b/.test(code.scope);
      const rt = wantsRefresh ? state.issueRefresh(g) : undefined;
      const at = state.issueSession(g);
      if (rt) state.sessions.get(at)!.refreshToken = rt;
      state.onChange();
      return void res.json(tokenBody(org, app, at, code.scope, rt));
    }
    if (grant === 'refresh_token') {
      const app = clientOf(req, res, false);
      if (!app) return;
      // jsforce also sends code_verifier here; Salesforce ignores it, so do we.
      const rt = str(body.refresh_token);
      const g = state.refreshGrants.get(rt);
      if (!g || g.clientId !== app.clientId)
        return oauthError(res, 400, 'invalid_grant', 'expired access/refresh token');
      const org = state.org(g.orgId);
      if (!org) return oauthError(res, 400, 'invalid_grant', 'expired access/refresh token');
      state.countOAuth(org);
      const at = state.issueSession(g);
      state.sessions.get(at)!.refreshToken = rt;
      state.onChange();
      return void res.json(tokenBody(org, app, at, g.scope, undefined, movedInstance.get(org)));
    }
    oauthError(res, 400, 'unsupported_grant_type', 'grant type not supported');
  });

  const revoke = (req: Request, res: Response) => {
    const token = str((req.body as Record<string, unknown> | undefined)?.token) || str(req.query.token);
    if (state.refreshGrants.has(token)) {
      state.refreshGrants.delete(token);
      for (const [at, s] of state.sessions) if (s.refreshToken === token) state.sessions.delete(at);
    } else if (state.sessions.has(token)) {
      state.sessions.delete(token);
    } else {
      // "Revoking OAuth Tokens" (Mobile SDK Developer Guide): errors are 400 unsupported_token_type or invalid_token.
      return oauthError(res, 400, 'invalid_token', 'Token was invalid');
    }
    state.onChange();
    res.status(200).end();
  };
  r.post('/services/oauth2/revoke', form, revoke);
  r.get('/services/oauth2/revoke', revoke);

  function sessionOrgUser(req: Request, res: Response): Org | undefined {
    const t = bearer(req);
    const s = t ? state.sessions.get(t) : undefined;
    const org = s && !s.expired ? state.org(s.orgId) : undefined;
    if (!org) {
      res.status(403).type('text/plain').send('Bad_OAuth_Token');
      return undefined;
    }
    state.countOAuth(org);
    return org;
  }

  r.get('/services/oauth2/userinfo', (req, res) => {
    const org = sessionOrgUser(req, res);
    if (!org) return;
    const user = ensureOrgUser(org);
    res.json({
      sub: `${baseUrl()}/id/${org.orgId}/${org.userId}`,
      user_id: org.userId,
      organization_id: org.orgId,
      preferred_username: user.Username,
      nickname: String(user.Username).split('@')[0],
      name: user.Name,
      email: user.Email,
      email_verified: true,
      given_name: user.FirstName,
      family_name: user.LastName,
      zoneinfo: 'America/Los_Angeles',
      active: user.IsActive,
      user_type: 'STANDARD',
      language: 'en_US',
      locale: 'en_US',
      utcOffset: -28800000,
      updated_at: '2026-01-01T00:00:00Z',
    });
  });

  r.get('/id/:orgId/:userId', (req, res) => {
    const org = sessionOrgUser(req, res);
    if (!org) return;
    if (
      req.params.orgId.slice(0, 15) !== org.orgId.slice(0, 15) ||
      req.params.userId.slice(0, 15) !== org.userId.slice(0, 15)
    )
      return void res.status(403).type('text/plain').send('Bad_Id');
    const b = baseUrl();
    const v = '{version}';
    const user = ensureOrgUser(org);
    res.json({
      id: `${b}/id/${org.orgId}/${org.userId}`,
      asserted_user: true,
      user_id: org.userId,
      organization_id: org.orgId,
      username: user.Username,
      nick_name: String(user.Username).split('@')[0],
      display_name: user.Name,
      email: user.Email,
      email_verified: true,
      first_name: user.FirstName,
      last_name: user.LastName,
      timezone: 'America/Los_Angeles',
      active: user.IsActive,
      user_type: 'STANDARD',
      language: 'en_US',
      locale: 'en_US',
      utcOffset: -28800000,
      last_modified_date: '2026-01-01T00:00:00.000+0000',
      urls: {
        enterprise: `${b}/services/Soap/c/${v}/${org.orgId}`,
        metadata: `${b}/services/Soap/m/${v}/${org.orgId}`,
        partner: `${b}/services/Soap/u/${v}/${org.orgId}`,
        rest: `${b}/services/data/v${v}/`,
        sobjects: `${b}/services/data/v${v}/sobjects/`,
        query: `${b}/services/data/v${v}/query/`,
        profile: `${b}/${org.userId}`,
      },
    });
  });
  return r;
}
