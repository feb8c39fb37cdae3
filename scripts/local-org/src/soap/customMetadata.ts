// CustomMetadata records through the Metadata API: fullName `<ns__Type>.<DeveloperName>` (the type
// without __mdt), `label`, `values[{field, value}]`. An upsert replaces the whole record; records
// are visible to SOQL at once. (Metadata API Developer Guide "CustomMetadata", "upsertMetadata()".)
import { normDateTime, nowIso } from '../dml';
import type { ObjectDef } from '../schema';
import type { Org, Rec, State } from '../state';
import { lookupObject } from '../soql/evaluate';
import { textOf } from '../text';

export interface MdValue {
  field: string;
  value: string | null;
  /** The value's `xsi:type` (e.g. `xsd:string`), without the namespace prefix's variations; absent when untyped. */
  xsiType?: string;
}

/**
 * Which `xsi:type` a field of each type takes. Metadata API Developer Guide "CustomMetadata": the
 * declarative sample types each value (`<value xsi:type="xsd:boolean">`); a value typed for another
 * kind of field is refused with "<Label>: value not of required type: <value>". Date and DateTime
 * take either date type; text-like fields (Text, Text Area, Picklist, Metadata Relationship) only
 * `xsd:string`; Checkbox only `xsd:boolean`. An untyped value is accepted: upsertMetadata knows the
 * field from the record's fullName.
 */
const XSI_TYPES: Partial<Record<string, string[]>> = {
  boolean: ['boolean'],
  datetime: ['dateTime', 'date'],
  date: ['date', 'dateTime'],
  double: ['double', 'int', 'long', 'string'],
  int: ['int', 'double', 'long', 'string'],
  currency: ['double', 'int', 'string'],
};

const NUMERIC = ['double', 'int', 'currency', 'percent'];

export function xsiTypeFits(fieldType: string, xsiType: string | undefined): boolean {
  if (!xsiType) return true;
  const local = xsiType.replace(/^.*:/, '');
  return (XSI_TYPES[fieldType] ?? ['string']).includes(local);
}
export interface MdRecord {
  fullName: string;
  label?: string;
  values: MdValue[];
}
export interface SaveOutcome {
  fullName: string;
  created: boolean;
  success: boolean;
  errors?: { statusCode: string; message: string; fields?: string }[];
}

export function splitFullName(org: Org, fullName: string): { obj?: ObjectDef; dev: string } {
  const dot = fullName.indexOf('.');
  if (dot < 0) return { dev: '' };
  return { obj: lookupObject(org, fullName.slice(0, dot) + '__mdt'), dev: fullName.slice(dot + 1) };
}

export function findMdt(state: State, org: Org, obj: ObjectDef, dev: string): Rec | undefined {
  for (const r of state.table(org, obj).values())
    if (String(r.DeveloperName).toLowerCase() === dev.toLowerCase()) return r;
  return undefined;
}

const fail = (fullName: string, statusCode: string, message: string): SaveOutcome => ({
  fullName,
  created: false,
  success: false,
  errors: [{ statusCode, message }],
});

export function upsertOne(state: State, org: Org, md: MdRecord): SaveOutcome {
  const { obj, dev } = splitFullName(org, md.fullName);
  if (!obj || !obj.isMetadata)
    return fail(
      md.fullName,
      'INVALID_CROSS_REFERENCE_KEY',
      `In field: fullName - no CustomObject named ${md.fullName.split('.')[0]}__mdt found`,
    );
  if (!/^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*$/.test(dev) || dev.endsWith('_') || dev.length > 40) {
    return fail(
      md.fullName,
      'FIELD_INTEGRITY_EXCEPTION',
      `The Custom Metadata Record Name can only contain underscores and alphanumeric characters. It must be unique, begin with a letter, not include spaces, not end with an underscore, and not contain two consecutive underscores.`,
    );
  }
  const label = md.label ?? '';
  if (!label) return fail(md.fullName, 'REQUIRED_FIELD_MISSING', 'Required field is missing: label');
  if (label.length > 40) return fail(md.fullName, 'STRING_TOO_LONG', `Label: data value too large: max length=40`);
  const values: Record<string, unknown> = {};
  const own = obj.fields.filter((f) => f.custom || f.type === 'reference' || f.name.endsWith('__c'));
  for (const f of own) values[f.name] = f.type === 'boolean' ? false : null;
  for (const v of md.values) {
    const f = obj.byLower.get(v.field.toLowerCase());
    if (!f || !own.includes(f))
      return fail(
        md.fullName,
        'INVALID_CROSS_REFERENCE_KEY',
        `In field: field - no CustomField named ${obj.name}.${v.field} found`,
      );
    if (v.value === null || v.value === '') {
      values[f.name] = f.type === 'boolean' ? false : null;
      continue;
    }
    if (!xsiTypeFits(f.type, v.xsiType))
      return fail(md.fullName, 'FIELD_INTEGRITY_EXCEPTION', `${f.label}: value not of required type: ${v.value}`);
    if (f.type === 'boolean') {
      if (v.value !== 'true' && v.value !== 'false')
        return fail(md.fullName, 'FIELD_INTEGRITY_EXCEPTION', `${f.label}: value not of required type: ${v.value}`);
      values[f.name] = v.value === 'true';
    } else if (f.type === 'datetime') {
      const d = normDateTime(v.value);
      if (!d)
        return fail(md.fullName, 'FIELD_INTEGRITY_EXCEPTION', `${f.label}: value not of required type: ${v.value}`);
      values[f.name] = d;
    } else if (f.type === 'reference') {
      const target = lookupObject(org, f.referenceTo[0])!;
      const name = v.value.includes('.') ? v.value.slice(v.value.indexOf('.') + 1) : v.value;
      if (!findMdt(state, org, target, name))
        return fail(
          md.fullName,
          'INVALID_CROSS_REFERENCE_KEY',
          `In field: ${f.name} - no ${target.name} named ${v.value} found`,
        );
      values[f.name] = name;
    } else if (NUMERIC.includes(f.type)) {
      // Number fields (CredSpark_Settings__mdt) take a number; the Metadata API refuses anything else.
      const n = Number(v.value);
      if (v.value.trim() === '' || !Number.isFinite(n))
        return fail(md.fullName, 'FIELD_INTEGRITY_EXCEPTION', `${f.label}: value not of required type: ${v.value}`);
      values[f.name] = n;
    } else {
      if (v.value.length > f.length)
        return fail(md.fullName, 'STRING_TOO_LONG', `${f.label}: data value too large: max length=${f.length}`);
      values[f.name] = v.value;
    }
  }
  const existing = findMdt(state, org, obj, dev);
  const now = nowIso();
  if (existing) {
    Object.assign(existing, values, { MasterLabel: label, Label: label, SystemModstamp: now });
  } else {
    const rec: Rec = {
      Id: state.newId(org, obj),
      DeveloperName: dev,
      MasterLabel: label,
      Label: label,
      Language: 'en_US',
      NamespacePrefix: null,
      QualifiedApiName: dev,
      SystemModstamp: now,
      ...values,
    };
    state.table(org, obj).set(rec.Id, rec);
  }
  state.onChange();
  return { fullName: md.fullName, created: !existing, success: true };
}

/** readMetadata: typed values (`xsi:type`), an empty record for a name that does not exist. */
export function readOne(state: State, org: Org, fullName: string): Record<string, unknown> | null {
  const { obj, dev } = splitFullName(org, fullName);
  const rec = obj && findMdt(state, org, obj, dev);
  if (!obj || !rec) return null;
  const own = obj.fields.filter((f) => f.name.endsWith('__c'));
  return {
    $attrs: { 'xsi:type': 'CustomMetadata' },
    fullName,
    label: rec.MasterLabel,
    protected: false,
    values: own.map((f) => {
      const v = rec[f.name];
      if (v === null || v === undefined) return { field: f.name, value: null };
      const t =
        f.type === 'boolean'
          ? 'xsd:boolean'
          : f.type === 'datetime'
            ? 'xsd:dateTime'
            : f.type === 'double'
              ? 'xsd:double'
              : 'xsd:string';
      const text =
        f.type === 'datetime'
          ? new Date(Date.parse(textOf(v).replace(/([+-]\d{2})(\d{2})$/, '$1:$2'))).toISOString()
          : textOf(v);
      return { field: f.name, value: { $attrs: { 'xsi:type': t }, $text: text } };
    }),
  };
}
