// Record writes with Salesforce's validation: deserialisation (JSON_PARSER_ERROR, INVALID_FIELD
// for the whole request) then per-record checks in the order Salesforce reports them
// (REST API Developer Guide "Status Codes and Error Responses"; SOAP API "StatusCode").
import type { FieldDef, ObjectDef } from './schema';
import { RestError } from './rest/common';
import type { Org, Rec, State } from './state';
import { sameId } from './ids';
import { textOf } from './text';

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
    if (typeof v === 'string' && TEXT.has(f.type) && f.type !== 'picklist' && v.length > f.length) {
      return {
        statusCode: 'STRING_TOO_LONG',
        message: `${f.label}: data value too large: ${v} (max length=${f.length})`,
        fields: [f.name],
      };
    }
    // Numbers: at most precision − scale digits before the point (int: precision digits);
    // SOAP API "StatusCode" NUMBER_OUTSIDE_VALID_RANGE. Extra decimals are rounded, not refused.
    if (
      typeof v === 'number' &&
      (f.type === 'double' || f.type === 'currency' || f.type === 'int') &&
      f.precision > 0
    ) {
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
  return duplicateCheck(state, org, obj, values, existing, opts);
}

/** An optional duplicate rule matching on Email (Salesforce Help "Duplicate Rules"; the REST
 *  header `Sforce-Duplicate-Rule-Header: allowSave=true` saves only past rules set to Alert). */
function duplicateCheck(
  state: State,
  org: Org,
  obj: ObjectDef,
  values: Record<string, unknown>,
  existing: Rec | undefined,
  opts: WriteOptions,
): DmlError | undefined {
  const action = org.duplicateRules[obj.name as 'Contact' | 'Lead'];
  if (!action) return undefined;
  const email = (values.Email ?? existing?.Email) as string | null | undefined;
  if (!email || !('Email' in values || !existing)) return undefined;
  const matches = [...state.table(org, obj).values()].filter(
    (r) =>
      (!existing || !sameId(r.Id, existing.Id)) &&
      typeof r.Email === 'string' &&
      r.Email.toLowerCase() === email.toLowerCase(),
  );
  if (!matches.length) return undefined;
  if (action === 'alert' && opts.allowSaveOnDuplicates) return undefined;
  const message =
    action === 'block'
      ? `You're creating a duplicate record. We recommend you use an existing record instead.`
      : 'Use one of these records?';
  return {
    statusCode: 'DUPLICATES_DETECTED',
    message,
    fields: [],
    duplicateResult: {
      allowSave: action === 'alert',
      duplicateRule: `Standard_${obj.name}_Duplicate_Rule`,
      duplicateRuleEntityType: obj.name,
      errorMessage: message,
      matchResults: [
        {
          entityType: obj.name,
          errors: [],
          matchEngine: 'FuzzyMatchEngine',
          matchRecords: matches.map((m) => ({
            additionalInformation: [],
            fieldDiffs: [],
            matchConfidence: 100,
            record: {
              attributes: { type: obj.name, url: `/services/data/v62.0/sobjects/${obj.name}/${m.Id}` },
              Id: m.Id,
            },
          })),
          rule: `Standard_${obj.name}_Match_Rule_v1_0`,
          size: matches.length,
          success: true,
        },
      ],
    },
  };
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
    if (f.type === 'boolean') rec[f.name] = false;
    else rec[f.name] = f.picklistValues.find((p) => p.defaultValue)?.value ?? null;
  }
  Object.assign(rec, { Id: state.newId(org, obj), CreatedDate: now, LastModifiedDate: now, SystemModstamp: now });
  if (!obj.isMetadata) rec.IsDeleted = false;
  for (const [k, v] of Object.entries(values)) if (k !== 'Id' || system) rec[k] = v;
  if (obj.name === 'Lead' && blank(rec.Status)) rec.Status = 'Open - Not Contacted';
  compound(obj, rec);
  state.table(org, obj).set(rec.Id, rec);
  state.onChange();
  return rec;
}

export function applyUpdate(state: State, org: Org, obj: ObjectDef, rec: Rec, values: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(values)) if (k !== 'Id') rec[k] = v;
  rec.LastModifiedDate = rec.SystemModstamp = nowIso();
  compound(obj, rec);
  state.onChange();
}

export function mdtRefused(obj: ObjectDef, op: 'INSERT' | 'UPDATE' | 'DELETE'): RestError {
  // Custom metadata records are metadata: DML is refused ("DML operation INSERT not allowed on
  // ns__Type__mdt", salesforce.stackexchange.com/q/206619); write them with the Metadata API.
  return new RestError(400, 'INVALID_TYPE', `DML operation ${op} not allowed on ${obj.name}`);
}
