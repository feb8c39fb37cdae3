// The consent page (Salesforce's "Allow Access?" screen): names the connected app and the scopes
// it asks for, posts back to /services/oauth2/authorize with the request in hidden inputs.
const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const SCOPE_LABELS: Record<string, string> = {
  api: 'Manage user data via APIs (api)',
  refresh_token: 'Perform requests at any time (refresh_token, offline_access)',
  offline_access: 'Perform requests at any time (refresh_token, offline_access)',
  full: 'Full access (full)',
  id: 'Access the identity URL service (id, profile, email, address, phone)',
  web: 'Manage user data via Web browsers (web)',
  openid: 'Access unique user identifiers (openid)',
};

export function consentPage(appName: string, params: Record<string, string>, username: string, error?: string): string {
  const scopes = [
    ...new Set(
      (params.scope || 'api refresh_token')
        .split(/\s+/)
        .filter(Boolean)
        .map((s) => SCOPE_LABELS[s] ?? s),
    ),
  ];
  const hidden = Object.entries(params)
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
    .join('\n      ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Allow Access? | Salesforce (local org)</title>
<style>body{font-family:system-ui,sans-serif;background:#f3f3f3;margin:0}main{max-width:420px;margin:60px auto;background:#fff;padding:24px;border-radius:6px;box-shadow:0 1px 3px #0003}
h1{font-size:20px}ul{padding-left:20px}button{padding:8px 18px;margin-right:8px;border-radius:4px;border:1px solid #0176d3;cursor:pointer}
button[value=allow]{background:#0176d3;color:#fff}.err{color:#c23934}</style></head>
<body><main>
  <h1>Allow Access?</h1>
  <p><strong class="app-name">${esc(appName)}</strong> is asking to:</p>
  <ul class="scopes">${scopes.map((s) => `<li>${esc(s)}</li>`).join('')}</ul>
  ${error ? `<p class="err">${esc(error)}</p>` : ''}
  <form method="post" action="/services/oauth2/authorize">
      ${hidden}
      <label>Username <input name="username" value="${esc(username)}"></label>
      <p>Do you want to allow access for ${esc(username)}?</p>
      <button type="submit" name="decision" value="deny">Deny</button>
      <button type="submit" name="decision" value="allow">Allow</button>
  </form>
</main></body></html>`;
}

export function errorPage(error: string, description: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Error | Salesforce (local org)</title></head>
<body><main><h1>OAuth Error</h1><p>We can't authorize you because of an OAuth error.</p>
<p>error=${esc(error)}</p><p>error_description=${esc(description)}</p></main></body></html>`;
}
