/**
 * Validation of the two URLs a connect request may carry. Both guard against an attacker
 * steering the flow: `loginUrl` receives our client secret at token exchange, `returnUrl` is where
 * the admin's browser is sent afterwards (an open redirect otherwise).
 */
export type UrlCheck = { ok: true; value: string } | { ok: false; message: string };

/**
 * Salesforce login hosts: login/test.salesforce.com, My Domain (`*.my.salesforce.com`,
 * sandboxes `*.sandbox.my.salesforce.com`), Government Cloud (`*.salesforce.mil`), the legacy
 * `*.force.com` / `*.cloudforce.com` domains and Alibaba Cloud (`*.sfcrmproducts.cn`)
 * (Salesforce Help "My Domain URL Formats").
 */
const SALESFORCE_HOST = /(^|\.)(salesforce\.com|force\.com|cloudforce\.com|salesforce\.mil|sfcrmproducts\.cn)$/i;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Accepts an origin only (no user info, path, query or fragment), https with a Salesforce host
 * or the configured default login host; plain http only to loopback in local mode.
 * Returns the normalised origin.
 */
export function checkLoginUrl(raw: string, opts: { defaultLoginUrl: string; localMode: boolean }): UrlCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, message: 'loginUrl must be an absolute URL such as https://login.salesforce.com' };
  }
  if (url.username || url.password) return { ok: false, message: 'loginUrl must not contain user information' };
  if (
    (url.pathname !== '/' && url.pathname !== '') ||
    url.search ||
    url.hash ||
    raw.includes('?') ||
    raw.includes('#')
  ) {
    return {
      ok: false,
      message:
        'loginUrl must be an origin only (e.g. https://mydomain.my.salesforce.com), without path, query or fragment',
    };
  }
  const defaultOrigin = safeOrigin(opts.defaultLoginUrl);
  // The operator's own SF_LOGIN_URL is trusted as configured (it may be a test rig on http).
  if (url.origin === defaultOrigin) return { ok: true, value: url.origin };
  const loopback = LOOPBACK_HOSTS.has(url.hostname);
  // Loopback logins exist only on a developer's machine: local mode, or a rig whose
  // configured SF_LOGIN_URL is itself loopback.
  const loopbackAllowed = loopback && (opts.localMode || isLoopbackUrl(opts.defaultLoginUrl));
  if (url.protocol === 'http:') {
    if (!loopbackAllowed) return { ok: false, message: 'loginUrl must use https' };
  } else if (url.protocol !== 'https:') {
    return { ok: false, message: 'loginUrl must use https' };
  }
  const allowedHost = SALESFORCE_HOST.test(url.hostname) || loopbackAllowed;
  if (!allowedHost) {
    return {
      ok: false,
      message: 'loginUrl must be a Salesforce login host (login.salesforce.com, test.salesforce.com or a My Domain)',
    };
  }
  return { ok: true, value: url.origin };
}

/**
 * `returnUrl` must be an absolute http(s) URL whose origin is listed in ALLOWED_RETURN_ORIGINS
 * (in local mode the connector's own origin is allowed too). Path and query are kept.
 */
export function checkReturnUrl(
  raw: string,
  opts: { allowedOrigins: readonly string[]; publicUrl: string; localMode: boolean },
): UrlCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, message: 'returnUrl must be an absolute URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return { ok: false, message: 'returnUrl must use http or https' };
  if (url.username || url.password) return { ok: false, message: 'returnUrl must not contain user information' };
  // Without ALLOWED_RETURN_ORIGINS any http(s) URL is accepted: only the admin-API caller (who
  // holds CONNECTOR_ADMIN_TOKEN) chooses returnUrl, and it is bound to the state server-side, so
  // no third party can inject one. Setting the list adds defence in depth (start-up warns when unset).
  if (opts.allowedOrigins.length === 0 && !opts.localMode) return { ok: true, value: url.href };
  const allowed = new Set(opts.allowedOrigins.map(safeOrigin).filter((o): o is string => Boolean(o)));
  if (opts.localMode) {
    const own = safeOrigin(opts.publicUrl);
    if (own) allowed.add(own);
  }
  if (!allowed.has(url.origin)) {
    return {
      ok: false,
      message: `returnUrl origin ${url.origin} is not allowed; allowed origins are set with ALLOWED_RETURN_ORIGINS`,
    };
  }
  return { ok: true, value: url.href };
}

function isLoopbackUrl(raw: string): boolean {
  try {
    return LOOPBACK_HOSTS.has(new URL(raw).hostname);
  } catch {
    return false;
  }
}

function safeOrigin(raw: string): string | undefined {
  try {
    const origin = new URL(raw).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}
