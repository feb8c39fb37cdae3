import { createHash } from 'node:crypto';
import {
  MAX_NAME_LENGTH,
  namespacePrefix,
  truncateLabel,
  XML_INVALID,
  xmlSafe,
  type CustomMetadataRecord,
} from '../salesforce/customMetadata';

/** The `CredSpark_Interaction__mdt` record (SPEC §3) for one catalogue entry. */
export function interactionRecord(
  ns: string,
  v: { interactionId: string; name: string; fieldsJson: string },
): CustomMetadataRecord {
  const p = namespacePrefix(ns);
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
