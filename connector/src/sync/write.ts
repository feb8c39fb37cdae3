import type { TargetObject } from '../rules';
import { countCall } from '../salesforce/calls';
import { classifySalesforceError } from '../salesforce/errors';
import type { SyncContext } from './types';

/**
 * Writes through sObject Collections ("sObject Collections", REST API Developer Guide):
 * POST (create) / PATCH (update) `/composite/sobjects`, at most 200 records a call (more →
 * EXCEEDED_ID_LIMIT), `allOrNone: false` so a bad record fails alone. Each result (same order as
 * the records) is `{ id, success, errors: [{ statusCode, message, fields }] }`.
 * POST/PATCH are never retried by jsforce: a failed call is classified and left to the worker.
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
  | { ok: false; retryable: boolean; code: string; message: string; retryAfterMs?: number };

interface CollectionResult { id?: string; success: boolean; errors?: { statusCode?: string; message?: string; fields?: string[] }[] }

/** Writes every op (grouped by object and kind, chunked by 200); results in op order; never throws. */
export async function writeRecords(ctx: SyncContext, ops: WriteOp[]): Promise<WriteResult[]> {
  const results: WriteResult[] = new Array(ops.length);
  const groups = new Map<string, number[]>();
  ops.forEach((op, i) => {
    const k = `${op.object}|${op.kind}`;
    groups.set(k, [...(groups.get(k) ?? []), i]);
  });
  for (const idx of groups.values()) {
    for (let start = 0; start < idx.length; start += COLLECTION_LIMIT) {
      const chunk = idx.slice(start, start + COLLECTION_LIMIT);
      const chunkResults = await writeChunk(ctx, chunk.map((i) => ops[i]));
      chunk.forEach((opIndex, j) => { results[opIndex] = chunkResults[j]; });
    }
  }
  return results;
}

async function writeChunk(ctx: SyncContext, ops: WriteOp[]): Promise<WriteResult[]> {
  const { object, kind } = ops[0];
  const records = ops.map((op) => ({ attributes: { type: object }, ...(kind === 'update' ? { Id: op.id } : {}), ...op.fields }));
  let reply: unknown;
  try {
    countCall(ctx, 'collections');
    reply = await ctx.conn.request({
      method: kind === 'create' ? 'POST' : 'PATCH',
      url: '/composite/sobjects',
      body: JSON.stringify({ allOrNone: false, records }),
      headers: { 'content-type': 'application/json' },
    });
  } catch (err) {
    const c = classifySalesforceError(err);
    ctx.log.warn({ orgId: ctx.orgId, object, kind, records: ops.length, code: c.code }, 'sObject Collections call failed');
    return ops.map(() => ({ ok: false, ...c }));
  }
  if (!Array.isArray(reply) || reply.length !== ops.length) {
    const r = { ok: false as const, retryable: true, code: 'UNEXPECTED_RESPONSE', message: 'sObject Collections answered with an unexpected body' };
    return ops.map(() => r);
  }
  return (reply as CollectionResult[]).map((r, i) => {
    if (r.success) return { ok: true, id: r.id ?? ops[i].id ?? '' };
    const e = r.errors?.[0] ?? {};
    const c = classifySalesforceError({ statusCode: e.statusCode ?? 'UNKNOWN_ERROR', message: e.message ?? 'Salesforce refused the record' });
    const fields = e.fields && e.fields.length > 0 ? ` (fields: ${e.fields.join(', ')})` : '';
    return { ok: false, ...c, message: `${c.message}${fields}` };
  });
}
