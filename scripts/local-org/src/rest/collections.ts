// sObject Collections create/update/upsert (REST API Developer Guide "sObject Collections", "Upsert
// Records Using sObject Collections"): at most 200 records (else EXCEEDED_ID_LIMIT), processed in
// order, per-record results `{id, success, errors:[{statusCode, message, fields}]}` (upsert adds
// `created`), and allOrNone rolling everything back with ALL_OR_NONE_OPERATION_ROLLED_BACK.
import { applyCreate, applyUpdate, deserialize, validate, type DmlError } from '../dml';
import type { ObjectDef } from '../schema';
import type { Rec } from '../state';
import { textOf } from '../text';
import { lookupObject } from '../soql/evaluate';
import { findById } from '../rules/references';
import { RestError } from './common';
import { allowSave, mdtRefusedFor } from './collectionsUtil';
import { externalIdField, findByExternalId } from './upsert';
import type { Ctx, Reply } from './types';

interface Planned {
  /** Upsert: the record's external id value. */
  extValue?: string;
  obj?: ObjectDef;
  values?: Record<string, unknown>;
  existing?: Rec;
  error?: DmlError;
}
type Mode = 'create' | 'update' | 'upsert';

const ROLLED_BACK: DmlError = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [],
};

/** Per-record errors of collections carry no duplicate result (the Guide's response examples). */
const collectionError = (e: DmlError): DmlError => ({ statusCode: e.statusCode, message: e.message, fields: e.fields });

export function collections(
  ctx: Ctx,
  method: 'POST' | 'PATCH',
  body: unknown,
  upsertOn?: { sobject: string; field: string },
): Reply {
  const b = (body ?? {}) as { allOrNone?: unknown; records?: unknown };
  if (!Array.isArray(b.records))
    throw new RestError(
      400,
      'JSON_PARSER_ERROR',
      'Cannot deserialize instance of SObjectCollection: records is required',
    );
  if (b.records.length > 200)
    throw new RestError(
      400,
      'EXCEEDED_ID_LIMIT',
      'record limit reached. cannot submit more than 200 records into this call',
    );
  const mode: Mode = upsertOn ? 'upsert' : method === 'POST' ? 'create' : 'update';
  const allOrNone = b.allOrNone === true;
  const target = upsertOn && lookupObject(ctx.org, upsertOn.sobject);
  if (upsertOn && !target) throw new RestError(404, 'NOT_FOUND', 'The requested resource does not exist');
  const ext = target ? externalIdField(target, upsertOn.field) : undefined;
  // Deserialisation problems (unknown field, wrong JSON type, no attributes.type) fail the whole request.
  const planned: Planned[] = b.records.map((raw: unknown) => {
    const r = (raw ?? {}) as Record<string, unknown> & { attributes?: { type?: string } };
    const type = r.attributes?.type;
    if (!type) throw new RestError(400, 'INVALID_TYPE', 'Must send a concrete entity type.');
    const obj = lookupObject(ctx.org, type);
    if (!obj) throw new RestError(400, 'INVALID_TYPE', `sObject type '${type}' is not supported.`);
    if (target && obj !== target)
      throw new RestError(400, 'INVALID_TYPE', `The list can contain objects only of the type ${target.name}.`);
    const values = deserialize(obj, r);
    if (obj.isMetadata) return { obj, error: mdtRefusedFor(obj, mode === 'create') };
    if (mode === 'create') {
      if (values.Id)
        return {
          obj,
          error: { statusCode: 'INVALID_FIELD', message: 'cannot specify Id in an insert call', fields: ['Id'] },
        };
      return { obj, values };
    }
    if (mode === 'upsert') return { obj, values };
    const id = values.Id as string | undefined;
    if (!id)
      return {
        obj,
        error: { statusCode: 'MISSING_ARGUMENT', message: 'Id not specified in an update call', fields: [] },
      };
    const existing = findById(ctx.state, ctx.org, obj, id);
    if (!existing) return { obj, error: { statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] } };
    delete values.Id;
    return { obj, values, existing };
  });
  if (mode === 'upsert') planUpserts(ctx, planned, ext!.name);
  const sameRequest = new Set<string>();
  const opts = { allowSaveOnDuplicates: allowSave(ctx.headers), version: ctx.version, sameRequest };
  // allOrNone: keep a copy of the org's records to restore if any record fails.
  const before = allOrNone ? snapshotRecords(ctx) : undefined;
  // Records are saved in order, so a later record sees the earlier ones (a second membership of the
  // same person, a second record with the same external id value).
  const results = planned.map((p) => {
    if (!p.error) p.error = validate(ctx.state, ctx.org, p.obj!, p.values!, p.existing, opts);
    if (p.error) return { p, created: false };
    if (p.existing) {
      applyUpdate(ctx.state, ctx.org, p.obj!, p.existing, p.values!);
      return { p, id: p.existing.Id, created: false };
    }
    const id = applyCreate(ctx.state, ctx.org, p.obj!, p.values!).Id;
    sameRequest.add(id);
    return { p, id, created: true };
  });
  const failed = results.some((x) => x.p.error);
  if (failed && before) {
    ctx.org.records = before;
    ctx.state.onChange();
  }
  const out = results.map(({ p, id, created }) => {
    const known = id ?? p.existing?.Id;
    const extra = mode === 'upsert' ? { created: p.error || (failed && allOrNone) ? false : created } : {};
    if (p.error)
      return {
        ...(p.existing ? { id: p.existing.Id } : {}),
        success: false,
        errors: [collectionError(p.error)],
        ...extra,
      };
    if (allOrNone && failed)
      return { ...(p.existing ? { id: known } : {}), success: false, errors: [ROLLED_BACK], ...extra };
    return { id: known, success: true, errors: [], ...extra };
  });
  return { status: 200, body: out };
}

/** Upsert: each record names its external id value; a value twice in the request fails both. */
function planUpserts(ctx: Ctx, planned: Planned[], field: string): void {
  const seen = new Map<string, Planned[]>();
  for (const p of planned) {
    if (p.error) continue;
    const v = p.values![field];
    if (v === null || v === undefined || v === '') {
      p.error = { statusCode: 'MISSING_ARGUMENT', message: `${field} not specified`, fields: [field] };
      continue;
    }
    p.extValue = textOf(v);
    const key = p.extValue.toLowerCase();
    seen.set(key, [...(seen.get(key) ?? []), p]);
    const found = findByExternalId(ctx, p.obj!, field, p.extValue);
    if (found.length > 1)
      p.error = {
        statusCode: 'DUPLICATE_EXTERNAL_ID',
        message: `${field}: more than one record found for external id field: ${found.map((r) => r.Id).join(', ')}`,
        fields: [field],
      };
    else if (found.length === 1) {
      p.existing = found[0];
      delete p.values![field];
    }
  }
  // "Duplicate external id specified" — every row sharing a value in one request is refused.
  for (const [, ps] of seen)
    if (ps.length > 1)
      for (const p of ps)
        p.error = {
          statusCode: 'DUPLICATE_VALUE',
          message: `Duplicate external id specified: ${p.extValue}`,
          fields: [field],
        };
}

function snapshotRecords(ctx: Ctx) {
  return new Map([...ctx.org.records].map(([k, t]) => [k, new Map([...t].map(([id, r]) => [id, { ...r }]))]));
}
