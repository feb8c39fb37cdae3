import { callKind } from '../salesforce/callKind';
import type { ConnectionRecord } from '../store/types';
import { describe, type ConnectionService } from './connectionService';
import { authorizeUrl, exchangeCode, fetchIdentity, hashState, newPkcePair, newState, OAuthError } from './oauthClient';
import { checkLoginUrl, checkReturnUrl } from './urls';
import type { ConnectionRoutesDeps } from './routes';
import { redirectUri, STATE_TTL_MS, type ConnectionsDeps } from './types';

/**
 * The OAuth 2.0 web server flow with PKCE (Salesforce Help "OAuth 2.0 Web Server Flow for Web
 * App Integration"): `start` builds the authorize URL and remembers the state; `complete` runs
 * when Salesforce redirects the admin's browser back to /oauth/callback.
 *
 * One account ↔ one org: completing the flow replaces whatever connection the account had —
 * same org (new tokens) or another org (the account moves to it).
 */
export type StartResult = { ok: true; authorizeUrl: string } | { ok: false; code: string; message: string };

export type CompleteResult =
  | { kind: 'connected'; accountId: string; username: string; returnUrl?: string }
  | { kind: 'denied'; returnUrl?: string }
  | { kind: 'invalid_state' }
  | { kind: 'failed'; status: 400 | 502; message: string };

export class OAuthFlow {
  constructor(
    private readonly deps: ConnectionsDeps & Pick<ConnectionRoutesDeps, 'afterConnect'>,
    private readonly service: ConnectionService,
  ) {}

  async start(accountId: string, input: { loginUrl?: string; returnUrl?: string }): Promise<StartResult> {
    const { config, store } = this.deps;
    if (!config.sfClientId || !config.sfClientSecret) {
      return { ok: false, code: 'NOT_CONFIGURED', message: 'SF_CLIENT_ID and SF_CLIENT_SECRET are not configured' };
    }
    const login = checkLoginUrl(input.loginUrl ?? config.sfLoginUrl, {
      defaultLoginUrl: config.sfLoginUrl,
      localMode: config.localMode,
    });
    if (!login.ok) return { ok: false, code: 'INVALID_LOGIN_URL', message: login.message };
    let returnUrl: string | undefined;
    if (input.returnUrl !== undefined) {
      const checked = checkReturnUrl(input.returnUrl, {
        allowedOrigins: config.allowedReturnOrigins,
        publicUrl: config.publicUrl,
        localMode: config.localMode,
      });
      if (!checked.ok) return { ok: false, code: 'INVALID_RETURN_URL', message: checked.message };
      returnUrl = checked.value;
    }
    const state = newState();
    const pkce = newPkcePair();
    await store.insertOAuthState({
      stateHash: hashState(state),
      accountId,
      loginUrl: login.value,
      returnUrl,
      codeVerifierEnc: this.service.cipher.encrypt(pkce.verifier),
      expiresAt: new Date(Date.now() + STATE_TTL_MS),
    });
    this.deps.log.info({ accountId }, 'OAuth connect started');
    return {
      ok: true,
      authorizeUrl: authorizeUrl({
        loginUrl: login.value,
        clientId: config.sfClientId,
        redirectUri: redirectUri(config),
        state,
        challenge: pkce.challenge,
      }),
    };
  }

  async complete(q: { code?: string; state?: string; error?: string }): Promise<CompleteResult> {
    const { store, config, log } = this.deps;
    if (!q.state) return { kind: 'invalid_state' };
    // Consumed before anything else: a state works once, whatever the outcome.
    const saved = await store.consumeOAuthState(hashState(q.state));
    if (!saved || saved.expiresAt.getTime() <= Date.now()) return { kind: 'invalid_state' };
    const { accountId } = saved;
    if (q.error || !q.code) {
      log.info({ accountId, oauthError: q.error ?? 'missing_code' }, 'OAuth connect not approved');
      return { kind: 'denied', returnUrl: saved.returnUrl };
    }
    const oauthCfg = {
      clientId: config.sfClientId,
      clientSecret: config.sfClientSecret,
      redirectUri: redirectUri(config),
    };
    let record: ConnectionRecord;
    try {
      const verifier = this.service.cipher.decrypt(saved.codeVerifierEnc);
      const tokens = await exchangeCode(saved.loginUrl, oauthCfg, q.code, verifier);
      if (!tokens.refresh_token) {
        return {
          kind: 'failed',
          status: 400,
          message:
            'Salesforce did not grant offline access (refresh_token scope). Ask your Salesforce admin to allow it for the CredSpark connected app.',
        };
      }
      // The identity URL receives our new access token: hold it to the same rules as a login URL.
      const idCheck = checkUrlOrigin(tokens.id, saved.loginUrl, config.localMode);
      if (!idCheck) return { kind: 'failed', status: 502, message: 'Salesforce returned an unexpected identity URL.' };
      const identityCalls: string[] = [];
      const identity = await fetchIdentity(tokens.id, tokens.access_token, saved.loginUrl, {
        instanceUrl: tokens.instance_url,
        apiVersion: config.sfApiVersion,
        onRequest: (url) => identityCalls.push(callKind('GET', url)),
      });
      const now = new Date();
      record = {
        accountId,
        status: 'connected',
        orgId: identity.organization_id,
        userId: identity.user_id,
        username: identity.username,
        instanceUrl: tokens.instance_url,
        loginUrl: saved.loginUrl,
        accessTokenEnc: this.service.cipher.encrypt(tokens.access_token),
        refreshTokenEnc: this.service.cipher.encrypt(tokens.refresh_token),
        connectedAt: now,
        updatedAt: now,
      };
      this.service.countCall(record.orgId, 'oauth'); // the token exchange
      // The identity lookup: the User query (a REST API call: counted for the org's day), plus the
      // identity URL / UserInfo on the login host (OAuth endpoints, not API calls) where it is not answered.
      for (const kind of identityCalls) {
        if (kind === 'other') this.service.countCall(record.orgId, 'oauth');
        else await this.service.countApiCall(record.orgId, kind);
      }
    } catch (err) {
      log.warn({ accountId, err: describe(err) }, 'OAuth code exchange failed');
      const refused = err instanceof OAuthError && !err.oauthError.startsWith('http_') && err.oauthError !== 'network';
      return {
        kind: 'failed',
        status: refused ? 400 : 502,
        message: refused
          ? 'Salesforce did not accept the authorization. Please start the connection again from CredSpark.'
          : 'Salesforce could not be reached to finish connecting. Please try again in a moment.',
      };
    }
    const previous = await store.getConnection(accountId);
    await store.upsertConnection(record);
    this.service.evict(accountId);
    log.info({ accountId, orgId: record.orgId, previousOrgId: previous?.orgId }, 'Salesforce connection stored');
    try {
      await this.service.writeConnectionRecord(record, 'Connected');
    } catch (err) {
      // The connection works without it; the admin page in Salesforce shows it after a reconnect.
      log.warn(
        { accountId, orgId: record.orgId, err: describe(err) },
        'could not write the Connection metadata record',
      );
    }
    try {
      // Interactions CredSpark announced before the account was connected are owed to the org now.
      await this.deps.afterConnect(accountId);
    } catch (err) {
      log.warn(
        { accountId, orgId: record.orgId, err: describe(err) },
        'could not mirror interaction metadata after connecting',
      );
    }
    return { kind: 'connected', accountId, username: record.username, returnUrl: saved.returnUrl };
  }
}

/** The identity URL must be https (loopback http in local mode) on the login host or a Salesforce host. */
function checkUrlOrigin(raw: string, loginUrl: string, localMode: boolean): boolean {
  try {
    const url = new URL(raw);
    if (url.username || url.password) return false;
    if (url.origin === new URL(loginUrl).origin) return true;
    return checkLoginUrl(url.origin, { defaultLoginUrl: loginUrl, localMode }).ok;
  } catch {
    return false;
  }
}
