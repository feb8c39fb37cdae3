// Record writes with Salesforce's validation: deserialisation (JSON_PARSER_ERROR, INVALID_FIELD
// for the whole request) then per-record checks in the order Salesforce reports them
// (REST API Developer Guide "Status Codes and Error Responses"; SOAP API "StatusCode").
import type { FieldDef, ObjectDef } from './schema';
import { RestError } from './rest/common';
import type { Org, Rec, State } from './state';
import { sameId } from './ids';
import { textOf } from './text';
import { addMemberStatuses, campaignMemberBeforeSave, DEFAULT_MEMBER_STATUSES } from './rules/campaigns';
import { checkDuplicates } from './rules/duplicates';
import { checkReference } from './rules/references';

export interface DmlError {
  statusCode: string;
  message: string;
  fields: string[];
  duplicateResult?: unknown;
}
export interface Prepared {
  values: Record<string, unknown>;
  existing?: Rec;
}
export interface WriteOptions {
  allowSaveOnDuplicates?: boolean;
  /** The request's API version (record URLs in duplicate results). */
  version?: string;
  /** Ids created earlier in the same collection request: duplicate rules compare only with records saved before it. */
  sameRequest?: Set<string>;
}

const TEXT = new Set(['string', 'email', 'phone', 'url', 'textarea', 'picklist', 'multipicklist']);
const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export function nowIso(d = new Date()): string {
  return d.toISOString().replace('Z', '+0000');
}

export function normDateTime(v: string): string | undefined {
  const t = Date.parse(v.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(t) ? undefined : nowIso(new Date(t));
}

function parserError(f: FieldDef, v: unknown, kind: string): RestError {
  const tok =
    typeof v === 'string'
      ? 'VALUE_STRING'
      : typeof v === 'number'
        ? 'VALUE_NUMBER_INT'
        : typeof v === 'boolean'
          ? 'VALUE_TRUE'
          : Array.isArray(v)
            ? 'START_ARRAY'
            : 'START_OBJECT';
  return new RestError(
    400,
    'JSON_PARSER_ERROR',
    `Cannot deserialize instance of ${kind} from ${tok} value ${typeof v === 'object' ? '' : textOf(v)} or request may be missing a required field at [line:1, column:1]`,
  );
}

/** JSON value → stored value for a field, as Salesforce's deserialiser accepts it. */
export function coerce(f: FieldDef, v: unknown): unknown {
  if (v === null) return null;
  if (TEXT.has(f.type) || f.type === 'id' || f.type === 'reference') {
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw parserError(f, v, 'string');
  }
  if (f.type === 'boolean') {
    if (typeof v === 'boolean') return v;
    if (v === 'true' || v === 'false') return v === 'true';
    throw parserError(f, v, 'boolean');
  }
  if (f.type === 'double' || f.type === 'currency' || f.type === 'int') {
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    if (!Number.isFinite(n) || (f.type === 'int' && !Number.isInteger(n)))
      throw parserError(f, v, f.type === 'int' ? 'int' : 'double');
    return n;
  }
  if (f.type === 'date') {
    if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v) && !Number.isNaN(Date.parse(v.slice(0, 10))))
      return v.slice(0, 10);
    throw parserError(f, v, 'date');
  }
  if (f.type === 'datetime') {
    const d = typeof v === 'string' ? normDateTime(v) : undefined;
    if (d) return d;
    throw parserError(f, v, 'datetime');
  }
  return v;
}

/** Whole-request checks: every key names a field and every value deserialises. */
export function deserialize(obj: ObjectDef, input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) {
    if (k === 'attributes') continue;
    const f = obj.byLower.get(k.toLowerCase());
    if (!f) throw new RestError(400, 'INVALID_FIELD', `No such column '${k}' on sobject of type ${obj.name}`);
    out[f.name] = coerce(f, v);
  }
  return out;
}

const blank = (v: unknown) => v === null || v === undefined || v === '';

export function validate(
  state: State,
  org: Org,
  obj: ObjectDef,
  values: Record<string, unknown>,
  existing: Rec | undefined,
  opts: WriteOptions,
): DmlError | undefined {
  const create = !existing;
  if (obj.readOnly)
    return {
      statusCode: 'INVALID_TYPE_FOR_OPERATION',
      message: `entity type cannot be ${create ? 'inserted' : 'updated'}: ${obj.label}`,
      fields: [],
    };
  const bad = Object.keys(values).filter(
    (k) =>
      k !== 'Id' &&
      !(create ? obj.byLower.get(k.toLowerCase())!.createable : obj.byLower.get(k.toLowerCase())!.updateable),
  );
  if (bad.length) {
    return {
      statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
      message: `Unable to create/update fields: ${bad.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
      fields: bad,
    };
  }
  if (existing && obj.name === 'Lead' && existing.IsConverted === true) {
    return { statusCode: 'CANNOT_UPDATE_CONVERTED_LEAD', message: 'cannot reference converted lead', fields: [] };
  }
  const missing = obj.fields
    .filter((f) => f.required && (create ? blank(values[f.name]) : f.name in values && blank(values[f.name])))
    .map((f) => f.name);
  if (missing.length)
    return {
      statusCode: 'REQUIRED_FIELD_MISSING',
      message: `Required fields are missing: [${missing.join(', ')}]`,
      fields: missing,
    };
  for (const [k, v] of Object.entries(values)) {
    const f = obj.byLower.get(k.toLowerCase())!;
    const err = fieldError(state, org, obj, f, v, values, existing);
    if (err) return err;
  }
  if (obj.name === 'CampaignMember') {
    const err = campaignMemberBeforeSave(state, org, values, existing);
    if (err) return err;
  }
  // Injected fault: row-lock contention, per record, on creates and updates (retryable in Salesforce).
  if (org.faults.lockRowRate && org.faultState.rng() < org.faults.lockRowRate) {
    return {
      statusCode: 'UNABLE_TO_LOCK_ROW',
      message: existing
        ? `unable to obtain exclusive access to this record or 1 records: ${existing.Id}`
        : 'unable to obtain exclusive access to this record',
      fields: [],
    };
  }
  const dup = checkDuplicates(state, org, obj, values, existing, {
    allowSave: opts.allowSaveOnDuplicates === true,
    version: opts.version ?? '62.0',
    sameRequest: opts.sameRequest,
  });
  return dup ? { ...dup.error, duplicateResult: dup.duplicateResult } : undefined;
}

/** One field's value: length, range, email, restricted picklist, lookup, uniqueness. May normalise `values[f.name]`. */
function fieldError(
  state: State,
  org: Org,
  obj: ObjectDef,
  f: FieldDef,
  v: unknown,
  values: Record<string, unknown>,
  existing: Rec | undefined,
): DmlError | undefined {
  if (typeof v === 'string' && TEXT.has(f.type) && f.type !== 'picklist' && v.length > f.length) {
    return {
      statusCode: 'STRING_TOO_LONG',
      message: `${f.label}: data value too large: ${v} (max length=${f.length})`,
      fields: [f.name],
    };
  }
  // Numbers: at most precision − scale digits before the point (int: precision digits);
  // SOAP API "StatusCode" NUMBER_OUTSIDE_VALID_RANGE. Extra decimals are rounded, not refused.
  if (typeof v === 'number' && (f.type === 'double' || f.type === 'currency' || f.type === 'int') && f.precision > 0) {
    const intDigits = f.type === 'int' ? f.precision : f.precision - f.scale;
    if (Math.abs(v) >= 10 ** intDigits) {
      return {
        statusCode: 'NUMBER_OUTSIDE_VALID_RANGE',
        message: `${f.label}: value outside of valid range on numeric field: ${v}`,
        fields: [f.name],
      };
    }
  }
  if (f.type === 'email' && typeof v === 'string' && v !== '' && !EMAIL.test(v)) {
    return {
      statusCode: 'INVALID_EMAIL_ADDRESS',
      message: `${f.label}: invalid email address: ${v}`,
      fields: [f.name],
    };
  }
  if (
    f.type === 'picklist' &&
    f.restrictedPicklist &&
    !(f.picklistValues.some((p) => p.value === v) || (blank(v) && !f.defaultedOnCreate && f.nillable))
  ) {
    return {
      statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      message: `${f.label}: bad value for restricted picklist field: ${textOf(v ?? '')}`,
      fields: [f.name],
    };
  }
  if (f.type === 'reference' && f.name !== 'Id') {
    const r = checkReference(state, org, f, v);
    if (r.error) return r.error;
    values[f.name] = r.id;
  }
  // A unique field (an external id): "duplicate value found: <field> duplicates value on record with
  // id: <id>" (SOAP API "StatusCode" DUPLICATE_VALUE). Case matters only for case-sensitive ones.
  if (f.unique && !blank(v)) {
    const norm = (x: unknown) => (f.caseSensitive ? textOf(x) : textOf(x).toLowerCase());
    for (const r of state.table(org, obj).values()) {
      if (existing && sameId(r.Id, existing.Id)) continue;
      if (!blank(r[f.name]) && norm(r[f.name]) === norm(v))
        return {
          statusCode: 'DUPLICATE_VALUE',
          message: `duplicate value found: ${f.name} duplicates value on record with id: ${r.Id}`,
          fields: [f.name],
        };
    }
  }
  return undefined;
}

function compound(obj: ObjectDef, rec: Rec): void {
  if (obj.byLower.has('firstname') && obj.byLower.has('name'))
    rec.Name = [rec.FirstName, rec.LastName].filter((x) => !blank(x)).join(' ');
}

export function applyCreate(
  state: State,
  org: Org,
  obj: ObjectDef,
  values: Record<string, unknown>,
  system = false,
): Rec {
  const now = nowIso();
  const rec = {} as Rec;
  for (const f of obj.fields) {
    if (f.type === 'boolean') rec[f.name] = f.booleanDefault ?? false;
    else rec[f.name] = f.picklistValues.find((p) => p.defaultValue)?.value ?? null;
  }
  Object.assign(rec, { Id: state.newId(org, obj), CreatedDate: now, LastModifiedDate: now, SystemModstamp: now });
  for (const k of ['OwnerId', 'CreatedById', 'LastModifiedById'])
    if (obj.byLower.has(k.toLowerCase())) rec[k] = org.userId;
  if (!obj.isMetadata) rec.IsDeleted = false;
  const name = obj.byLower.get('name');
  if (name?.autoNumber) rec.Name = nextAutoNumber(org, obj, name.displayFormat ?? '{0}');
  for (const [k, v] of Object.entries(values)) if (k !== 'Id' || system) rec[k] = v;
  if (obj.name === 'Lead' && blank(rec.Status)) rec.Status = 'Open - Not Contacted';
  compound(obj, rec);
  state.table(org, obj).set(rec.Id, rec);
  if (obj.name === 'Campaign') addMemberStatuses(state, org, rec.Id, DEFAULT_MEMBER_STATUSES);
  state.onChange();
  return rec;
}

/** The next auto-number of an object: `R-{0000000000}` → `R-0000000001` (Salesforce Help "Custom Field Types", Auto Number). */
function nextAutoNumber(org: Org, obj: ObjectDef, format: string): string {
  const n = (org.autoNumbers[obj.name] ?? 0) + 1;
  org.autoNumbers[obj.name] = n;
  return format.replace(/\{(0+)\}/, (_m, zeros: string) => String(n).padStart(zeros.length, '0'));
}

export function applyUpdate(state: State, org: Org, obj: ObjectDef, rec: Rec, values: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(values)) if (k !== 'Id') rec[k] = v;
  rec.LastModifiedDate = rec.SystemModstamp = nowIso();
  if (obj.byLower.has('lastmodifiedbyid')) rec.LastModifiedById = org.userId;
  compound(obj, rec);
  state.onChange();
}

export function mdtRefused(obj: ObjectDef, op: 'INSERT' | 'UPDATE' | 'DELETE'): RestError {
  // Custom metadata records are metadata: DML is refused ("DML operation INSERT not allowed on
  // ns__Type__mdt", salesforce.stackexchange.com/q/206619); write them with the Metadata API.
  return new RestError(400, 'INVALID_TYPE', `DML operation ${op} not allowed on ${obj.name}`);
}
