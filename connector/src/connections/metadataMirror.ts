import { createHash } from 'node:crypto';
import type { Connection } from 'jsforce';

/**
 * Writes the connector's two custom metadata types (SPEC §3) with the Metadata API
 * (`upsertMetadata` of `CustomMetadata`, at most 10 records a call — Metadata API Developer Guide,
 * "upsertMetadata()"). A record's fullName is `<Type>.<DeveloperName>` where the type carries
 * the namespace prefix: `credspark__CredSpark_Connection.Default` (no `__mdt` suffix).
 */
export const MAX_RECORDS_PER_UPSERT = 10;
/** Custom metadata record names: Label and DeveloperName are at most 40 characters. */
export const MAX_NAME_LENGTH = 40;

/**
 * One field value of a record. `xsiType` is the XML Schema type sent as the value's `xsi:type`:
 * the Metadata API Developer Guide ("CustomMetadata", declarative sample) types every value
 * (`<value xsi:type="xsd:string">`, `xsd:dateTime`, `xsd:boolean`…), and a value whose type does
 * not fit its field is refused ("value not of required type"). Text fields: `xsd:string`;
 * DateTime fields: `xsd:dateTime`.
 */
export interface MetadataValue {
  field: string;
  value: string | null;
  xsiType: 'xsd:string' | 'xsd:dateTime';
}
export interface CustomMetadataRecord {
  fullName: string;
  label: string;
  values: MetadataValue[];
}

export interface UpsertOutcome {
  written: string[];
  failures: { fullName: string; message: string }[];
}

export class MetadataWriteError extends Error {
  constructor(readonly failures: UpsertOutcome['failures']) {
    super(
      `Metadata API refused ${failures.length} record(s): ${failures.map((f) => `${f.fullName} (${f.message})`).join('; ')}`,
    );
    this.name = 'MetadataWriteError';
  }
}

const prefix = (ns: string) => (ns ? `${ns}__` : '');

export function connectionRecord(
  ns: string,
  v: { accountId: string; status: 'Connected' | 'Disconnected'; username: string; connectedAt: Date },
): CustomMetadataRecord {
  const p = prefix(ns);
  return {
    fullName: `${p}CredSpark_Connection.Default`,
    label: 'Default',
    values: [
      { field: `${p}Account_Id__c`, value: v.accountId, xsiType: 'xsd:string' },
      { field: `${p}Status__c`, value: v.status, xsiType: 'xsd:string' },
      { field: `${p}Connected_User__c`, value: v.username, xsiType: 'xsd:string' },
      { field: `${p}Connected_At__c`, value: v.connectedAt.toISOString(), xsiType: 'xsd:dateTime' },
    ],
  };
}

/**
 * Characters XML 1.0 cannot carry (its `Char` production): C0 controls other than tab, LF and CR,
 * U+FFFE, U+FFFF and unpaired surrogates. jsforce writes text into the SOAP envelope as is, and
 * Salesforce refuses the whole call ("An invalid XML character … was found"), so one bad record
 * would block the nine others of its call on every attempt.
 */
const XML_INVALID =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text with the characters XML 1.0 cannot carry replaced by spaces (labels: display only). */
export function xmlSafe(text: string): string {
  return text.replace(XML_INVALID, ' ');
}

function hasXmlInvalid(text: string): boolean {
  XML_INVALID.lastIndex = 0;
  const found = XML_INVALID.test(text);
  XML_INVALID.lastIndex = 0;
  return found;
}

export function interactionRecord(
  ns: string,
  v: { interactionId: string; name: string; fieldsJson: string },
): CustomMetadataRecord {
  const p = prefix(ns);
  return {
    fullName: `${p}CredSpark_Interaction.${interactionDeveloperName(v.interactionId)}`,
    label: truncateLabel(xmlSafe(v.name)) || xmlSafe(v.interactionId).slice(0, MAX_NAME_LENGTH),
    values: [
      { field: `${p}Interaction_Id__c`, value: v.interactionId, xsiType: 'xsd:string' },
      { field: `${p}Fields__c`, value: fitFieldsJson(v.fieldsJson), xsiType: 'xsd:string' },
    ],
  };
}

/** `Fields__c` is a LongTextArea(32768) (force-app …/CredSpark_Interaction__mdt/fields/Fields__c). */
export const MAX_FIELDS_JSON_LENGTH = 32_768;
/** Labels longer than this are clipped first when the JSON does not fit. */
const CLIPPED_LABEL_LENGTH = 100;

/**
 * The fields JSON, made to fit Fields__c: a longer value is refused by the Metadata API
 * ("Fields: data value too large", STRING_TOO_LONG) and the interaction would never reach the
 * admin's mapping editor. Still a valid JSON array: labels are clipped to 100 characters first,
 * then fields are dropped from the end until it fits (the first fields are kept whole).
 */
export function fitFieldsJson(fieldsJson: string, max = MAX_FIELDS_JSON_LENGTH): string {
  // JSON.stringify escapes C0 controls and lone surrogates, not U+FFFE/U+FFFF: escape those too,
  // so the value can travel in XML; lengths are measured on the escaped text.
  const escape = (json: string) =>
    json.replace(XML_INVALID, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const whole = escape(fieldsJson);
  if (whole.length <= max) return whole;
  let fields: unknown;
  try {
    fields = JSON.parse(fieldsJson);
  } catch {
    return '[]';
  }
  if (!Array.isArray(fields)) return '[]';
  const clipped = fields.map((f: unknown) => {
    if (!f || typeof f !== 'object') return f;
    const o = f as Record<string, unknown>;
    return typeof o.label === 'string' && o.label.length > CLIPPED_LABEL_LENGTH
      ? { ...o, label: Array.from(o.label).slice(0, CLIPPED_LABEL_LENGTH).join('') }
      : o;
  });
  let n = clipped.length;
  let json = escape(JSON.stringify(clipped));
  while (json.length > max && n > 0) {
    // Drop about as many fields as the excess needs, at least one.
    const avg = json.length / n;
    n = Math.max(0, Math.min(n - 1, Math.floor(n - (json.length - max) / avg)));
    json = escape(JSON.stringify(clipped.slice(0, n)));
  }
  return json;
}

/**
 * DeveloperName for an interaction id. Salesforce's rules for API names: at most 40 characters,
 * only letters, digits and underscores, starting with a letter, no two consecutive underscores,
 * not ending with an underscore. A readable sanitised prefix plus `_` and 10 hex characters of
 * SHA-256(id) keeps distinct ids apart even when they sanitise alike (`a-b` vs `a_b`).
 */
export function interactionDeveloperName(interactionId: string): string {
  const hash = createHash('sha256').update(interactionId).digest('hex').slice(0, 10);
  let readable = interactionId
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (!/^[A-Za-z]/.test(readable)) readable = `I${readable ? `_${readable}` : ''}`;
  readable = readable.slice(0, MAX_NAME_LENGTH - hash.length - 1).replace(/_+$/, '');
  return `${readable}_${hash}`;
}

/** Truncates to 40 characters without splitting a surrogate pair. */
export function truncateLabel(label: string): string {
  const chars = Array.from(label.trim());
  return chars.length <= MAX_NAME_LENGTH ? chars.join('') : chars.slice(0, MAX_NAME_LENGTH).join('');
}

/**
 * Upserts the records in calls of ≤ 10. Per-record refusals (`success: false` with `errors`) are
 * returned, not thrown, so callers can keep what was written; transport errors throw.
 * `onCall` counts each API call (metrics).
 */
export async function upsertCustomMetadata(
  conn: Connection,
  records: CustomMetadataRecord[],
  onCall: () => void = () => undefined,
): Promise<UpsertOutcome> {
  const outcome: UpsertOutcome = { written: [], failures: [] };
  const sendable: CustomMetadataRecord[] = [];
  for (const r of records) {
    const texts = [r.fullName, r.label, ...r.values.flatMap((v) => [v.field, v.value ?? ''])];
    if (texts.some(hasXmlInvalid))
      outcome.failures.push({
        fullName: xmlSafe(r.fullName),
        message: 'a value holds a character XML 1.0 cannot carry (control character); not sent',
      });
    else sendable.push(r);
  }
  records = sendable;
  for (let i = 0; i < records.length; i += MAX_RECORDS_PER_UPSERT) {
    const chunk = records.slice(i, i + MAX_RECORDS_PER_UPSERT);
    onCall();
    const raw: unknown = await conn.metadata.upsert('CustomMetadata', chunk.map(toSoap) as never);
    const results = (Array.isArray(raw) ? raw : [raw]) as Array<Record<string, unknown> | undefined>;
    chunk.forEach((record, idx) => {
      const r = results.find((x) => x?.fullName === record.fullName) ?? results[idx];
      if (r && (r.success === true || r.success === 'true')) outcome.written.push(record.fullName);
      else outcome.failures.push({ fullName: record.fullName, message: errorText(r?.errors) });
    });
  }
  return outcome;
}

/**
 * The record as jsforce's SOAP serializer (soap.js `toXML`) writes it: a key starting with `@`
 * becomes an attribute and an empty key becomes bare text, so
 * `{ '@xsi:type': 'xsd:string', '': 'x' }` is `<value xsi:type="xsd:string">x</value>`; null is
 * `<value xsi:nil="true"></value>` (a cleared field).
 */
export function toSoap(record: CustomMetadataRecord): Record<string, unknown> {
  return {
    fullName: record.fullName,
    label: record.label,
    values: record.values.map((v) => ({
      field: v.field,
      value: v.value === null ? null : { '@xsi:type': v.xsiType, '': v.value },
    })),
  };
}

function errorText(errors: unknown): string {
  const list = (Array.isArray(errors) ? errors : errors ? [errors] : []) as Array<{
    statusCode?: string;
    message?: string;
  }>;
  if (list.length === 0) return 'no result returned';
  return list.map((e) => [e.statusCode, e.message].filter(Boolean).join(': ')).join('; ');
}
