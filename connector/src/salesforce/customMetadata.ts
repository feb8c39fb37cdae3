import type { Connection } from 'jsforce';

/**
 * Writes custom metadata records with the Metadata API (`upsertMetadata` of `CustomMetadata`, at
 * most 10 records a call — Metadata API Developer Guide, "upsertMetadata()"). A record's fullName
 * is `<Type>.<DeveloperName>` where the type carries the namespace prefix:
 * `credspark__CredSpark_Connection.Default` (no `__mdt` suffix).
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

/** `credspark__` for a namespaced package, '' for an unpackaged org. */
export const namespacePrefix = (ns: string): string => (ns ? `${ns}__` : '');

/**
 * Characters XML 1.0 cannot carry (its `Char` production): C0 controls other than tab, LF and CR,
 * U+FFFE, U+FFFF and unpaired surrogates. jsforce writes text into the SOAP envelope as is, and
 * Salesforce refuses the whole call ("An invalid XML character … was found"), so one bad record
 * would block the nine others of its call on every attempt.
 */
export const XML_INVALID =
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
