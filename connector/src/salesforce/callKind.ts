/** The kind of Salesforce call, from its URL: the `kind` label of the call metrics and usage. */
export function callKind(method: string, url: string): string {
  const path = url.replace(/^https?:\/\/[^/]+/, '');
  if (/\/services\/Soap\/m\//.test(path)) return 'metadata';
  if (/\/services\/Soap\//.test(path)) return 'soap';
  const rest = path.replace(/^\/services\/data\/v[\d.]+/, '');
  if (/^\/(query|queryAll)(\/|\?|$)/.test(rest)) return 'query';
  if (/^\/composite\/sobjects/.test(rest)) return 'collections';
  if (/^\/composite/.test(rest)) return 'composite';
  if (/^\/limits/.test(rest)) return 'limits';
  if (/\/describe\/?$/.test(rest) || /^\/sobjects\/?$/.test(rest)) return 'describe';
  if (/^\/sobjects\//.test(rest)) return method === 'GET' ? 'sobject' : 'sobject_write';
  return 'other';
}
