// Upsert by external id (REST API Developer Guide "Insert or Update (Upsert) a Record Using an
// External ID", "Upsert Records Using sObject Rows by External ID"): PATCH
// /sobjects/{object}/{externalIdField}/{value} creates the record (201 {id, success, errors,
// created: true}) or updates the one record with that value (API 46.0 and later: 200 with
// created: false; earlier: 204); several matches answer 300 with their URLs. A field that is not an
// external id answers 404 NOT_FOUND, as the Guide's "Incorrect external ID field" example shows.
// GET on the same URL retrieves the record.
import { applyCreate, applyUpdate, deserialize, validate } from '../dml';
import type { FieldDef, ObjectDef } from '../schema';
import type { Rec } from '../state';
import { recordUrl } from '../soql/evaluate';
import { RestError } from './common';
import { allowSave, objectOr404, retrieve, singleError } from './sobjects';
import type { Ctx, Reply } from './types';

const notFound = () => new RestError(404, 'NOT_FOUND', 'The requested resource does not exist');

export function externalIdField(obj: ObjectDef, name: string): FieldDef {
  const f = obj.byLower.get(name.toLowerCase());
  if (!f || !(f.externalId || f.name === 'Id')) throw notFound();
  return f;
}

/** Records whose external id equals `value` (case-insensitively unless the field is case-sensitive). */
export function findByExternalId(ctx: Ctx, obj: ObjectDef, field: string, value: string): Rec[] {
  const f = obj.byLower.get(field.toLowerCase())!;
  const norm = (v: unknown) => (f.caseSensitive ? String(v) : String(v).toLowerCase());
  return [...ctx.state.table(ctx.org, obj).values()].filter(
    (r) => r[f.name] !== null && r[f.name] !== undefined && norm(r[f.name]) === norm(value),
  );
}

export function upsertOne(ctx: Ctx, name: string, field: string, value: string, body: unknown): Reply {
  const obj = objectOr404(ctx, name);
  const f = externalIdField(obj, field);
  if (obj.isMetadata) throw notFound();
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new RestError(400, 'JSON_PARSER_ERROR', `Cannot deserialize instance of ${obj.name} from START_ARRAY value`);
  const values = deserialize(obj, body as Record<string, unknown>);
  // "Do not specify Id or an external ID field in the request body or an error is generated."
  if ('Id' in values || (f.name in values && String(values[f.name]) !== value))
    throw new RestError(
      400,
      'INVALID_FIELD',
      `${'Id' in values ? 'Id' : f.name}: do not specify Id or the external ID field in the request body of an upsert`,
      {
        fields: ['Id' in values ? 'Id' : f.name],
      },
    );
  delete values[f.name];
  const found = findByExternalId(ctx, obj, f.name, value);
  if (found.length > 1) return { status: 300, body: found.map((r) => recordUrl(ctx.version, obj, r.Id)) };
  const opts = { allowSaveOnDuplicates: allowSave(ctx), version: ctx.version };
  if (found.length === 1) {
    const err = validate(ctx.state, ctx.org, obj, values, found[0], opts);
    if (err) throw singleError(err);
    applyUpdate(ctx.state, ctx.org, obj, found[0], values);
    if (Number(ctx.version) < 46) return { status: 204 };
    return { status: 200, body: { id: found[0].Id, success: true, errors: [], created: false } };
  }
  const withKey = { ...values, [f.name]: value };
  const err = validate(ctx.state, ctx.org, obj, withKey, undefined, opts);
  if (err) throw singleError(err);
  const rec = applyCreate(ctx.state, ctx.org, obj, withKey);
  return {
    status: 201,
    body: { id: rec.Id, success: true, errors: [], ...(Number(ctx.version) >= 46 ? { created: true } : {}) },
    headers: { Location: recordUrl(ctx.version, obj, rec.Id) },
  };
}

export function retrieveByExternalId(ctx: Ctx, name: string, field: string, value: string, fields?: string): Reply {
  const obj = objectOr404(ctx, name);
  const f = externalIdField(obj, field);
  const found = findByExternalId(ctx, obj, f.name, value);
  if (found.length > 1) return { status: 300, body: found.map((r) => recordUrl(ctx.version, obj, r.Id)) };
  if (!found.length) throw notFound();
  return retrieve(ctx, name, found[0].Id, fields);
}
