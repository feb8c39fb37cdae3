import type { TargetObject } from '../rules';
import { countCall, withTimeout } from '../salesforce/calls';
import { classifySalesforceError } from '../salesforce/errors';
import type { EngineContext } from './types';

/**
 * Writes through sObject Collections ("sObject Collections", REST API Developer Guide):
 * POST (create) / PATCH (update) `/composite/sobjects`, at most 200 records a call (more →
 * EXCEEDED_ID_LIMIT), `allOrNone: false` so a bad record fails alone. Each result (same order as
 * the records) is `{ id, success, errors: [{ statusCode, message, fields }] }`.
 * (jsforce's `sobject().create([...])` also uses collections but splits > 200 only with
 * `allowRecursive`; we chunk and bundle ourselves.) POST/PATCH are never retried by jsforce: a failed call is classified and left to the worker.
 */
export const COLLECTION_LIMIT = 200;

export interface WriteOp {
  object: TargetObject;
  kind: 'create' | 'update';
  /** For updates: the record Id. */
  id?: string;
  fields: Record<string, string | number | boolean>;
}

export type WriteResult =
  { ok: true; id: string } | { ok: false; retryable: boolean; code: string; message: string; retryAfterMs?: number };

interface CollectionResult {
  id?: string;
  success: boolean;
  errors?: { statusCode?: string; message?: string; fields?: string[] }[];
}

/**
 * "Composite" (REST API Developer Guide): up to 25 subrequests in one API call, of which at most
 * 5 may be sObject Collections or queries. Several collection chunks therefore travel together:
 * 1,000 records cost 1 composite call instead of 5 collection calls.
 */
export const COLLECTIONS_PER_COMPOSITE = 5;

/**
 * REST API Developer Guide "Sforce-Duplicate-Rule-Header": `allowSave=true` lets a save through
 * duplicate rules whose action is Alert (rules set to Block still refuse: DUPLICATES_DETECTED).
 * We already matched by email; an alert-only rule must not silently drop a respondent.
 */
const DUPLICATE_HEADER = { 'Sforce-Duplicate-Rule-Header': 'allowSave=true' };

interface Chunk {
  object: TargetObject;
  kind: 'create' | 'update';
  indexes: number[];
}

/** Writes every op (grouped by object and kind, chunked by 200); results in op order; never throws. */
export async function writeRecords(ctx: EngineContext, ops: WriteOp[]): Promise<WriteResult[]> {
  const results = new Array<WriteResult>(ops.length);
  const groups = new Map<string, number[]>();
  ops.forEach((op, i) => {
    const k = `${op.object}|${op.kind}`;
    groups.set(k, [...(groups.get(k) ?? []), i]);
  });
  const chunks: Chunk[] = [];
  for (const idx of groups.values()) {
    for (let start = 0; start < idx.length; start += COLLECTION_LIMIT) {
      const indexes = idx.slice(start, start + COLLECTION_LIMIT);
      chunks.push({ object: ops[indexes[0]].object, kind: ops[indexes[0]].kind, indexes });
    }
  }
  for (let start = 0; start < chunks.length; start += COLLECTIONS_PER_COMPOSITE) {
    const together = chunks.slice(start, start + COLLECTIONS_PER_COMPOSITE);
    const replies =
      together.length === 1
        ? [
            await writeChunk(
              ctx,
              together[0].indexes.map((i) => ops[i]),
            ),
          ]
        : await writeComposite(
            ctx,
            together.map((c) => c.indexes.map((i) => ops[i])),
          );
    together.forEach((c, n) =>
      c.indexes.forEach((opIndex, j) => {
        results[opIndex] = replies[n][j];
      }),
    );
  }
  return results;
}

function collectionBody(ops: WriteOp[]): {
  method: 'POST' | 'PATCH';
  body: { allOrNone: false; records: Record<string, unknown>[] };
} {
  const { object, kind } = ops[0];
  const records = ops.map((op) => ({
    attributes: { type: object },
    ...(kind === 'update' ? { Id: op.id } : {}),
    ...op.fields,
  }));
  return { method: kind === 'create' ? 'POST' : 'PATCH', body: { allOrNone: false, records } };
}

async function writeChunk(ctx: EngineContext, ops: WriteOp[]): Promise<WriteResult[]> {
  const { method, body } = collectionBody(ops);
  let reply: unknown;
  try {
    countCall(ctx, 'collections');
    reply = await withTimeout(
      ctx.conn.request({
        method,
        url: '/composite/sobjects',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json', ...DUPLICATE_HEADER },
      }),
      'sObject Collections write',
      ctx.callTimeoutMs,
    );
  } catch (err) {
    return failAll(ctx, ops, classifySalesforceError(err));
  }
  return readCollection(ops, reply);
}

/** Several collection calls in one `/composite` call (allOrNone false: each stands alone). */
async function writeComposite(ctx: EngineContext, chunks: WriteOp[][]): Promise<WriteResult[][]> {
  const compositeRequest = chunks.map((ops, n) => {
    const { method, body } = collectionBody(ops);
    return {
      method,
      url: `/services/data/v${ctx.conn.version}/composite/sobjects`,
      referenceId: `chunk${n}`,
      body,
      httpHeaders: DUPLICATE_HEADER,
    };
  });
  let reply: { compositeResponse?: { body: unknown; httpStatusCode: number; referenceId: string }[] };
  try {
    countCall(ctx, 'composite');
    reply = await withTimeout(
      ctx.conn.request({
        method: 'POST',
        url: '/composite',
        body: JSON.stringify({ allOrNone: false, compositeRequest }),
        headers: { 'content-type': 'application/json' },
      }),
      'composite write',
      ctx.callTimeoutMs,
    );
  } catch (err) {
    const c = classifySalesforceError(err);
    // Refused outright (4xx: nothing was written): send the chunks as plain collection calls.
    if (!c.retryable) return sequential(chunks.map((ops) => () => writeChunk(ctx, ops)));
    return chunks.map((ops) => failAll(ctx, ops, c));
  }
  return sequential(
    chunks.map((ops, n) => async () => {
      const sub = reply.compositeResponse?.find((r) => r.referenceId === `chunk${n}`);
      if (!sub) return readCollection(ops, undefined);
      if (sub.httpStatusCode >= 400) {
        const e = (Array.isArray(sub.body) ? sub.body[0] : sub.body) as
          { errorCode?: string; message?: string } | undefined;
        const c = classifySalesforceError({
          errorCode: e?.errorCode ?? `ERROR_HTTP_${sub.httpStatusCode}`,
          message: e?.message ?? 'sObject Collections subrequest failed',
        });
        // A subrequest refused as a whole wrote nothing (allOrNone false keeps the others): retry
        // it as a plain collection call, whose own reply then decides.
        return c.retryable ? failAll(ctx, ops, c) : writeChunk(ctx, ops);
      }
      return readCollection(ops, sub.body);
    }),
  );
}

async function sequential<T>(tasks: (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = [];
  for (const task of tasks) out.push(await task());
  return out;
}

function failAll(ctx: EngineContext, ops: WriteOp[], c: ReturnType<typeof classifySalesforceError>): WriteResult[] {
  ctx.log.warn(
    { orgId: ctx.orgId, object: ops[0].object, kind: ops[0].kind, records: ops.length, code: c.code },
    'sObject Collections call failed',
  );
  return ops.map(() => ({ ok: false, ...c }));
}

/**
 * Per-record refusals of an update that mean "the record matched a moment ago changed under us"
 * (SOAP API "StatusCode"): deleted or merged away (ENTITY_IS_DELETED), converted
 * (CANNOT_UPDATE_CONVERTED_LEAD). Retrying re-runs the email match, which then finds the surviving
 * record, or none and creates one — failing the response would lose it.
 */
const STALE_MATCH = new Set(['ENTITY_IS_DELETED', 'CANNOT_UPDATE_CONVERTED_LEAD']);
const STALE_MATCH_RETRY_MS = 1_000;

function readCollection(ops: WriteOp[], reply: unknown): WriteResult[] {
  if (!Array.isArray(reply) || reply.length !== ops.length) {
    const r = {
      ok: false as const,
      retryable: true,
      code: 'UNEXPECTED_RESPONSE',
      message: 'sObject Collections answered with an unexpected body',
    };
    return ops.map(() => r);
  }
  return (reply as CollectionResult[]).map((r, i) => {
    if (r.success) return { ok: true, id: r.id ?? ops[i].id ?? '' };
    const e = r.errors?.[0] ?? {};
    const c = classifySalesforceError({
      statusCode: e.statusCode ?? 'UNKNOWN_ERROR',
      message: e.message ?? 'Salesforce refused the record',
    });
    const fields = e.fields && e.fields.length > 0 ? ` (fields: ${e.fields.join(', ')})` : '';
    if (ops[i].kind === 'update' && STALE_MATCH.has(c.code))
      return { ok: false, ...c, retryable: true, retryAfterMs: STALE_MATCH_RETRY_MS, message: `${c.message}${fields}` };
    return { ok: false, ...c, message: `${c.message}${fields}` };
  });
}
