/**
 * A stored or received JSON value as text — for messages, XML and string comparisons. Scalars read
 * as `String()` writes them (what Salesforce echoes); objects and arrays as JSON rather than
 * "[object Object]", so a wrong shape shows in the message instead of vanishing.
 */
export function textOf(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
    case 'boolean':
    case 'bigint':
    case 'undefined':
    case 'symbol':
      return String(v);
    case 'function':
      return '[function]';
    default:
      return v === null ? 'null' : (JSON.stringify(v) ?? '');
  }
}
