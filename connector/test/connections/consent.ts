/**
 * Drives the local org's OAuth consent page like a browser: GET the authorize URL, read the
 * form (action, hidden inputs, username), POST it with the chosen decision, return the redirect.
 */
export async function consent(authorizeUrl: string, decision: 'allow' | 'deny'): Promise<URL> {
  const page = await fetch(authorizeUrl, { redirect: 'manual' });
  if (page.status !== 200) throw new Error(`consent page answered ${page.status}`);
  const html = await page.text();
  const form = /<form\b[^>]*>/i.exec(html)?.[0];
  if (!form) throw new Error('no form on the consent page');
  const action = new URL(decode(attr(form, 'action') ?? '/services/oauth2/authorize'), authorizeUrl);
  const fields = new URLSearchParams();
  for (const input of html.match(/<input\b[^>]*>/gi) ?? []) {
    const name = attr(input, 'name');
    const type = (attr(input, 'type') ?? 'text').toLowerCase();
    if (!name || type === 'submit' || type === 'button') continue;
    fields.append(decode(name), decode(attr(input, 'value') ?? ''));
  }
  fields.set('decision', decision);
  const reply = await fetch(action, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: fields.toString(),
  });
  const location = reply.headers.get('location');
  if (reply.status !== 302 || !location) throw new Error(`consent POST answered ${reply.status}`);
  return new URL(location, action);
}

function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
}

function decode(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&amp;/g, '&');
}
