/**
 * Connects the demo account through the connector's real OAuth code path, the way an admin would:
 * POST /api/accounts/:id/connect → Salesforce (here the local org) authorize page → Allow →
 * GET /oauth/callback on the connector. The local org runs with auto-approve, so the authorize
 * request redirects at once; if it shows the consent page instead, its form is submitted with Allow.
 */
export async function connectDemoAccount(opts: {
  connectorUrl: string;
  adminToken: string;
  accountId: string;
  loginUrl: string;
}): Promise<void> {
  const start = await fetch(`${opts.connectorUrl}/api/accounts/${encodeURIComponent(opts.accountId)}/connect`, {
    method: 'POST',
    headers: { authorization: `Bearer ${opts.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ loginUrl: opts.loginUrl }),
  });
  if (start.status !== 200) throw new Error(`connect answered ${start.status}: ${await start.text()}`);
  const { authorizeUrl } = (await start.json()) as { authorizeUrl: string };

  let reply = await fetch(authorizeUrl, { redirect: 'manual' });
  if (reply.status === 200) reply = await allowOnConsentPage(authorizeUrl, await reply.text());
  const location = reply.headers.get('location');
  if (reply.status !== 302 || !location) throw new Error(`the local org's authorize endpoint answered ${reply.status}`);

  const callback = new URL(location, authorizeUrl);
  if (callback.searchParams.get('error'))
    throw new Error(`authorization refused: ${callback.searchParams.get('error')}`);
  const done = await fetch(callback, { redirect: 'manual' });
  if (done.status !== 200 && done.status !== 302) throw new Error(`the OAuth callback answered ${done.status}`);
}

async function allowOnConsentPage(authorizeUrl: string, html: string): Promise<Response> {
  const form = /<form\b[^>]*>/i.exec(html)?.[0] ?? '';
  const action = new URL(unescapeHtml(attr(form, 'action') ?? '/services/oauth2/authorize'), authorizeUrl);
  const fields = new URLSearchParams();
  for (const input of html.match(/<input\b[^>]*>/gi) ?? []) {
    const name = attr(input, 'name');
    const type = (attr(input, 'type') ?? 'text').toLowerCase();
    if (name && type !== 'submit' && type !== 'button')
      fields.append(unescapeHtml(name), unescapeHtml(attr(input, 'value') ?? ''));
  }
  fields.set('decision', 'allow');
  return fetch(action, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: fields.toString(),
  });
}

function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
}

function unescapeHtml(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
