import type { FieldInfo } from './describe';

/**
 * Converts a CredSpark value to what the target field's describe type accepts (REST API
 * "Valid Date and DateTime Formats", "Field Types" of the SOAP API Developer Guide).
 *
 * Error code for an unconvertible value: INVALID_FIELD_VALUE (the response fails, the
 * message names the field and the value).
 */
export type Converted =
  | { ok: true; value: string | number | boolean; warning?: string }
  | { ok: false; code: 'INVALID_FIELD_VALUE'; message: string }
  | { ok: true; empty: true };

export const INVALID_FIELD_VALUE = 'INVALID_FIELD_VALUE';

const TEXT = new Set(['string', 'textarea', 'email', 'phone', 'url', 'encryptedstring', 'combobox']);
const NUMBER = new Set(['double', 'currency', 'percent']);
const TRUE = new Set(['true', 'yes', 'y', '1', 'on']);
const FALSE = new Set(['false', 'no', 'n', '0', 'off']);

/** null, undefined, '' (after trim) and [] are "unanswered": never written, never blanking. */
export function isEmptyValue(v: unknown): boolean {
  return (
    v === null || v === undefined || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0)
  );
}

/** One answer value (validated JSON, SPEC §4): arrays and objects are not scalars. */
function isScalar(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

export function convertValue(field: FieldInfo, raw: unknown): Converted {
  if (isEmptyValue(raw)) return { ok: true, empty: true };
  const bad = (why: string): Converted => ({
    ok: false,
    code: INVALID_FIELD_VALUE,
    message: `${field.name}: cannot write ${preview(raw)} to a ${field.type} field (${why})`,
  });
  const t = field.type;
  if (t === 'email') {
    // An email address is the match key: a shortened one is another address (or none at all).
    // Salesforce would refuse the long one (STRING_TOO_LONG, Email is 80 characters); so do we.
    if (!isScalar(raw)) return bad('an email field takes one address');
    const s = String(raw).trim();
    if (field.length > 0 && s.length > field.length) return bad(`longer than ${field.length} characters`);
    return { ok: true, value: s };
  }
  if (TEXT.has(t)) return truncate(field, Array.isArray(raw) ? raw.map(String).join(';') : String(raw));
  if (t === 'picklist') {
    if (!isScalar(raw)) return bad('a picklist takes one value');
    return picklist(field, String(raw), bad);
  }
  if (t === 'multipicklist') {
    const parts = (Array.isArray(raw) ? raw.map(String) : String(raw).split(';'))
      .map((s) => s.trim())
      .filter((s) => s !== '');
    const out: string[] = [];
    for (const p of parts) {
      const c = picklist(field, p, bad);
      if (!c.ok || !('value' in c)) return c;
      out.push(String(c.value));
    }
    return out.length === 0 ? { ok: true, empty: true } : truncate(field, [...new Set(out)].join(';'));
  }
  if (NUMBER.has(t) || t === 'int' || t === 'long') {
    const n =
      typeof raw === 'number'
        ? raw
        : typeof raw === 'string' && /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(raw)
          ? Number(raw)
          : NaN;
    if (!Number.isFinite(n)) return bad('not a number');
    if ((t === 'int' || t === 'long') && !Number.isInteger(n)) return bad('not a whole number');
    return { ok: true, value: n };
  }
  if (t === 'boolean') {
    if (typeof raw === 'boolean') return { ok: true, value: raw };
    const s = String(raw).trim().toLowerCase();
    if (TRUE.has(s)) return { ok: true, value: true };
    if (FALSE.has(s)) return { ok: true, value: false };
    return bad('not true or false');
  }
  if (t === 'date') {
    const s = String(raw).trim();
    if (/^\d{4}-\d{2}-\d{2}$/.test(s) && validDate(s)) return { ok: true, value: s };
    const d = new Date(s);
    if (/^\d{4}-\d{2}-\d{2}T/.test(s) && !Number.isNaN(d.getTime()))
      return { ok: true, value: d.toISOString().slice(0, 10) };
    return bad('not a YYYY-MM-DD date');
  }
  if (t === 'datetime') {
    const s = String(raw).trim();
    const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s);
    if (!/^\d{4}-\d{2}-\d{2}/.test(s) || Number.isNaN(d.getTime())) return bad('not an ISO 8601 date-time');
    return { ok: true, value: d.toISOString() };
  }
  if (!isScalar(raw)) return bad('unsupported value shape');
  // Other writable types (reference, etc.): passed as text; Salesforce validates them.
  return { ok: true, value: String(raw) };
}

function picklist(field: FieldInfo, s: string, bad: (why: string) => Converted): Converted {
  const v = s.trim();
  const canonical = field.picklistValues.find((p) => p.toLowerCase() === v.toLowerCase());
  if (canonical !== undefined) return { ok: true, value: canonical };
  // Restricted picklists refuse values outside the set (INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST):
  // fail this response here rather than spend a write on it.
  if (field.restrictedPicklist) return bad('not an active value of this restricted picklist');
  return truncate(field, v);
}

/**
 * REST has no "allow field truncation" header: truncate to the describe `length` ourselves
 * (longer text is refused with STRING_TOO_LONG). `length` counts UTF-16 code units, as JS strings
 * do; a cut never splits a surrogate pair (half an emoji is not valid text), so it may keep one
 * unit less.
 */
function truncate(field: FieldInfo, s: string): Converted {
  if (field.length > 0 && s.length > field.length) {
    let end = field.length;
    const last = s.charCodeAt(end - 1);
    if (last >= 0xd800 && last <= 0xdbff) end -= 1; // a high surrogate whose low half would be cut off
    return {
      ok: true,
      value: s.slice(0, end),
      warning: `${field.name} truncated to ${field.length} characters`,
    };
  }
  return { ok: true, value: s };
}

function validDate(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Values in messages are clipped: they may be personal data shown in the admin API only. */
function preview(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}
