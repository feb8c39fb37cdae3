/**
 * The one SOQL string escaper and IN-list builder.
 *
 * Salesforce SOQL and SOSL Reference, "Quoted String Escape Sequences": inside a quoted string
 * literal `\n \r \t \b \f \" \' \\` are the recognised escapes; any other backslash is an error.
 * Backslash is escaped first so the backslashes we add for the quote are not doubled again.
 */
export function soqlString(value: string): string {
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(/\x08/g, '\\b')
    .replace(/\f/g, '\\f');
  return `'${escaped}'`;
}

/**
 * Queries go over GET (`/query?q=…`); Salesforce answers HTTP 414 once the request URL passes
 * about 16 KB, well before SOQL's own 100,000-character statement limit ("SOQL and SOSL Limits
 * for Search Queries"). Each chunk's URL-encoded IN list stays under this many characters,
 * leaving room for the rest of the statement and the instance URL.
 */
export const MAX_IN_LIST_ENCODED_CHARS = 12_000;

/**
 * Splits values into `('a','b',…)` lists whose URL-encoded length stays under `maxEncoded`.
 * Never yields an empty list (an empty IN would be a syntax error, and callers skip the query).
 */
export function soqlInLists(values: Iterable<string>, maxEncoded = MAX_IN_LIST_ENCODED_CHARS): string[] {
  const lists: string[] = [];
  let current: string[] = [];
  let size = 2; // the parentheses
  for (const v of values) {
    const literal = soqlString(v);
    const cost = encodeURIComponent(literal).length + 3; // ",", encoded as %2C
    if (current.length > 0 && size + cost > maxEncoded) {
      lists.push(`(${current.join(',')})`);
      current = [];
      size = 2;
    }
    current.push(literal);
    size += cost;
  }
  if (current.length > 0) lists.push(`(${current.join(',')})`);
  return lists;
}
