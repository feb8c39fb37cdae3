import type { TargetObject } from '../rules';
import { countCall, withTimeout } from '../salesforce/calls';
import { classifySalesforceError } from '../salesforce/errors';
import { HEAVY_PER_COMPOSITE, sendUnits, subrequestError, type SubAnswer, type Unit } from './composite';
import { duplicateMatches, duplicateResultOf, type DuplicateMatch } from './duplicates';
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
  | { ok: true; id: string }
  | {
      ok: false;
      retryable: boolean;
      code: string;
      message: string;
      retryAfterMs?: number;
      /** DUPLICATES_DETECTED: the records Salesforce's duplicate rules named (duplicates.ts). */
      duplicates?: DuplicateMatch[];
    };

interface CollectionResult {
  id?: string;
  success: boolean;
  errors?: { statusCode?: string; message?: string; fields?: string[] }[];
}

/**
 * Several collection chunks travel together in one composite call (composite.ts): 1,000 records
 * cost 1 composite call instead of 5 collection calls.
 */
export const COLLECTIONS_PER_COMPOSITE = HEAVY_PER_COMPOSITE;

/**
 * REST API Developer Guide "Sforce-Duplicate-Rule-Header": `allowSave=true` lets a save through
 * duplicate rules whose action is Alert (rules set to Block still refuse: DUPLICATES_DETECTED).
 * We already matched by email; an alert-only rule must not silently drop a respondent.
 */
export const DUPLICATE_HEADER = { 'Sforce-Duplicate-Rule-Header': 'allowSave=true' };

/**
 * Writes every op (grouped by object and kind, chunked by 200); results in op order; never throws.
 * `extras` (units independent of these writes' results, e.g. records of outcomes decided before
 * any write) ride in the same composite calls where they fit (composite.ts).
 */
export async function writeRecords(ctx: EngineContext, ops: WriteOp[], extras: Unit[] = []): Promise<WriteResult[]> {
  const results = new Array<WriteResult>(ops.length);
  const groups = new Map<string, number[]>();
  ops.forEach((op, i) => {
    const k = `${op.object}|${op.kind}`;
    groups.set(k, [...(groups.get(k) ?? []), i]);
  });
  const units: Unit[] = [];
  let n = 0;
  for (const idx of groups.values()) {
    for (let start = 0; start < idx.length; start += COLLECTION_LIMIT) {
      const indexes = idx.slice(start, start + COLLECTION_LIMIT);
      const chunk = indexes.map((i) => ops[i]);
      const { method, body } = collectionBody(chunk);
      units.push([
        {
          referenceId: `chunk${n++}`,
          method,
          path: '/composite/sobjects',
          body,
          httpHeaders: DUPLICATE_HEADER,
          done: async (answer) => {
            const replies = await readAnswer(ctx, chunk, answer);
            indexes.forEach((opIndex, j) => {
              results[opIndex] = replies[j];
            });
          },
        },
      ]);
    }
  }
  await sendUnits(ctx, [...units, ...extras], 'write');
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

/** A collection chunk's answer → one result per op. A chunk refused as a whole wrote nothing. */
async function readAnswer(ctx: EngineContext, ops: WriteOp[], answer: SubAnswer): Promise<WriteResult[]> {
  if ('error' in answer) return failAll(ctx, ops, answer.error);
  if (answer.status >= 400) {
    const c = subrequestError(answer.status, answer.body);
    // Refused as a whole inside a composite (allOrNone false keeps the others): send it as a plain
    // collection call, whose own reply then decides.
    if (c.retryable) return failAll(ctx, ops, c);
    return writeChunk(ctx, ops);
  }
  return readCollection(ops, answer.body);
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
    const found = c.code === 'DUPLICATES_DETECTED' ? duplicateMatches(duplicateResultOf(e)) : [];
    const duplicates = found.length > 0 ? found : undefined;
    return { ok: false, ...c, message: `${c.message}${fields}`, ...(duplicates ? { duplicates } : {}) };
  });
}
