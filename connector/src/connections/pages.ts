/**
 * The small HTML pages the admin's browser may land on after Salesforce's consent screen.
 * Self-contained (inline style only, no scripts), every dynamic value escaped, never an error
 * detail beyond a friendly sentence.
 */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function page(p: { title: string; message: string; link?: { href: string; text: string } }): string {
  const link = p.link ? `<p><a href="${escapeHtml(p.link.href)}">${escapeHtml(p.link.text)}</a></p>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(p.title)} · CredSpark for Salesforce</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#181818}h1{font-size:1.4rem}a{color:#0b5cab}</style>
</head><body><main><h1>${escapeHtml(p.title)}</h1><p>${escapeHtml(p.message)}</p>${link}</main></body></html>`;
}
