// sObject resources: global describe, describe, create (201 {id, success, errors}), retrieve,
// update (204), delete (204) — REST API Developer Guide "sObject Basic Information", "sObject Rows".
import { applyCreate, applyUpdate, deserialize, mdtRefused, validate, type DmlError } from '../dml';
import { describeObject, globalEntry, type ObjectDef } from '../schema';
import { fieldValue, lookupObject, recordUrl } from '../soql/evaluate';
import { afterDelete, findById } from '../rules/references';
import { RestError } from './common';
import type { Ctx, Reply } from './types';

export function objectOr404(ctx: Ctx, name: string): ObjectDef {
  const obj = lookupObject(ctx.org, name);
  if (!obj) throw new RestError(404, 'NOT_FOUND', 'The requested resource does not exist');
  return obj;
}

export function allowSave(ctx: Ctx): boolean {
  return /allowSave\s*=\s*true/i.test(ctx.headers['sforce-duplicate-rule-header'] ?? '');
}

/**
 * A refused single-record write: `[{message, errorCode, fields}]`. A duplicate-rule refusal instead
 * carries the duplicate result under the key Salesforce really sends, "duplicateResut", and no
 * `fields` (see rules/duplicates.ts for the evidence).
 */
export function singleError(e: DmlError): RestError {
  if (e.duplicateResult) return new RestError(400, e.statusCode, e.message, { duplicateResut: e.duplicateResult });
  return new RestError(400, e.statusCode, e.message, { fields: e.fields });
}

export function globalDescribe(ctx: Ctx): Reply {
  return {
    status: 200,
    body: {
      encoding: 'UTF-8',
      maxBatchSize: 200,
      sobjects: [...ctx.org.catalogue.values()].map((o) => globalEntry(o, ctx.version)),
    },
  };
}

export function describe(ctx: Ctx, name: string): Reply {
  return { status: 200, body: describeObject(objectOr404(ctx, name), ctx.version) };
}

export function basicInfo(ctx: Ctx, name: string): Reply {
  const obj = objectOr404(ctx, name);
  return { status: 200, body: { objectDescribe: globalEntry(obj, ctx.version), recentItems: [] } };
}

export function create(ctx: Ctx, name: string, body: unknown): Reply {
  const obj = objectOr404(ctx, name);
  if (obj.isMetadata) throw mdtRefused(obj, 'INSERT');
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new RestError(
      400,
      'JSON_PARSER_ERROR',
      'Cannot deserialize instance of ' + obj.name + ' from START_ARRAY value [line:1, column:1]',
    );
  const values = deserialize(obj, body as Record<string, unknown>);
  const err = validate(ctx.state, ctx.org, obj, values, undefined, {
    allowSaveOnDuplicates: allowSave(ctx),
    version: ctx.version,
  });
  if (err) throw singleError(err);
  const rec = applyCreate(ctx.state, ctx.org, obj, values);
  return { status: 201, body: { id: rec.Id, success: true, errors: [] } };
}

function findIn(ctx: Ctx, obj: ObjectDef, id: string) {
  return findById(ctx.state, ctx.org, obj, id);
}

export function retrieve(ctx: Ctx, name: string, id: string, fieldsParam?: string): Reply {
  const obj = objectOr404(ctx, name);
  const rec = findIn(ctx, obj, id);
  if (!rec) throw new RestError(404, 'NOT_FOUND', 'The requested resource does not exist');
  const wanted = fieldsParam
    ? fieldsParam
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : obj.fields.map((f) => f.name);
  const out: Record<string, unknown> = { attributes: { type: obj.name, url: recordUrl(ctx.version, obj, rec.Id) } };
  for (const w of wanted) {
    const f = obj.byLower.get(w.toLowerCase());
    if (!f) throw new RestError(400, 'INVALID_FIELD', `No such column '${w}' on sobject of type ${obj.name}`);
    out[f.name] = fieldValue(ctx.org, obj, rec, f);
  }
  return { status: 200, body: out };
}

export function update(ctx: Ctx, name: string, id: string, body: unknown): Reply {
  const obj = objectOr404(ctx, name);
  if (obj.isMetadata) throw mdtRefused(obj, 'UPDATE');
  const rec = findIn(ctx, obj, id);
  if (!rec) throw new RestError(404, 'NOT_FOUND', 'The requested resource does not exist');
  const values = deserialize(obj, (body ?? {}) as Record<string, unknown>);
  delete values.Id;
  const err = validate(ctx.state, ctx.org, obj, values, rec, {
    allowSaveOnDuplicates: allowSave(ctx),
    version: ctx.version,
  });
  if (err) throw singleError(err);
  applyUpdate(ctx.state, ctx.org, obj, rec, values);
  return { status: 204 };
}

export function remove(ctx: Ctx, name: string, id: string): Reply {
  const obj = objectOr404(ctx, name);
  if (obj.isMetadata) throw mdtRefused(obj, 'DELETE');
  const rec = findIn(ctx, obj, id);
  if (!rec) throw new RestError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
  if (obj.readOnly)
    throw new RestError(400, 'INVALID_TYPE_FOR_OPERATION', `entity type cannot be deleted: ${obj.label}`);
  ctx.state.table(ctx.org, obj).delete(rec.Id);
  afterDelete(ctx.state, ctx.org, rec);
  ctx.state.onChange();
  return { status: 204 };
}
