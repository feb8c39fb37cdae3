// sObject Collections create/update (REST API Developer Guide "sObject Collections"): at most 200
// records (else EXCEEDED_ID_LIMIT), per-record results `{id, success, errors:[{statusCode, message,
// fields}]}`, and allOrNone rolling everything back with ALL_OR_NONE_OPERATION_ROLLED_BACK.
import { applyCreate, applyUpdate, deserialize, validate, type DmlError } from '../dml';
import type { ObjectDef } from '../schema';
import type { Rec } from '../state';
import { sameId } from '../ids';
import { lookupObject } from '../soql/evaluate';
import { RestError } from './common';
import { allowSave, mdtRefusedFor } from './collectionsUtil';
import type { Ctx, Reply } from './types';

interface Planned {
  obj?: ObjectDef;
  values?: Record<string, unknown>;
  existing?: Rec;
  error?: DmlError;
}

const ROLLED_BACK: DmlError = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [],
};

export function collections(ctx: Ctx, method: 'POST' | 'PATCH', body: unknown): Reply {
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
  const allOrNone = b.allOrNone === true;
  const create = method === 'POST';
  // Deserialisation problems (unknown field, wrong JSON type, no attributes.type) fail the whole request.
  const planned: Planned[] = b.records.map((raw: unknown) => {
    const r = (raw ?? {}) as Record<string, unknown> & { attributes?: { type?: string } };
    const type = r.attributes?.type;
    if (!type) throw new RestError(400, 'INVALID_TYPE', 'Must send a concrete entity type.');
    const obj = lookupObject(ctx.org, type);
    if (!obj) throw new RestError(400, 'INVALID_TYPE', `sObject type '${type}' is not supported.`);
    const values = deserialize(obj, r);
    if (obj.isMetadata) return { obj, error: mdtRefusedFor(obj, create) };
    if (create) {
      if (values.Id)
        return {
          obj,
          error: { statusCode: 'INVALID_FIELD', message: 'cannot specify Id in an insert call', fields: ['Id'] },
        };
      return { obj, values };
    }
    const id = values.Id as string | undefined;
    if (!id)
      return {
        obj,
        error: { statusCode: 'MISSING_ARGUMENT', message: 'Id not specified in an update call', fields: [] },
      };
    let existing: Rec | undefined;
    for (const [rid, rec] of ctx.state.table(ctx.org, obj)) if (sameId(rid, id)) existing = rec;
    if (!existing) return { obj, error: { statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] } };
    delete values.Id;
    return { obj, values, existing };
  });
  const opts = { allowSaveOnDuplicates: allowSave(ctx.headers) };
  for (const p of planned) if (!p.error) p.error = validate(ctx.state, ctx.org, p.obj!, p.values!, p.existing, opts);
  const failed = planned.some((p) => p.error);
  const out = planned.map((p) => {
    const id = p.existing?.Id;
    if (p.error) return { ...(id ? { id } : {}), success: false, errors: [p.error] };
    if (allOrNone && failed) return { ...(id ? { id } : {}), success: false, errors: [ROLLED_BACK] };
    if (p.existing) {
      applyUpdate(ctx.state, ctx.org, p.obj!, p.existing, p.values!);
      return { id: p.existing.Id, success: true, errors: [] };
    }
    const rec = applyCreate(ctx.state, ctx.org, p.obj!, p.values!);
    return { id: rec.Id, success: true, errors: [] };
  });
  return { status: 200, body: out };
}
