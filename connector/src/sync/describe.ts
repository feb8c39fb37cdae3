import type { DescribeSObjectResult } from 'jsforce';
import type { TargetObject } from '../rules';
import { countCall, withTimeout } from '../salesforce/calls';
import type { SyncContext } from './types';

/** The parts of a describe field the sync needs ("DescribeFieldResult", SOAP/REST describe). */
export interface FieldInfo {
  name: string;
  type: string;
  length: number;
  createable: boolean;
  updateable: boolean;
  nillable: boolean;
  restrictedPicklist: boolean;
  /** Active picklist values (canonical spelling). */
  picklistValues: string[];
}

export interface ObjectInfo {
  name: TargetObject;
  /** By lower-cased API name: field names are case-insensitive in Salesforce. */
  fields: Map<string, FieldInfo>;
}

/** Describes change only when an admin edits fields: cached per org and object for 1 h. */
export const DEFAULT_DESCRIBE_TTL_MS = 60 * 60_000;
let ttlMs = DEFAULT_DESCRIBE_TTL_MS;
const cache = new Map<string, { info: ObjectInfo; at: number }>();
const inflight = new Map<string, Promise<ObjectInfo>>();

export function setDescribeTtl(ms: number): void {
  ttlMs = ms;
}
export function invalidateDescribes(orgId?: string): void {
  if (orgId === undefined) cache.clear();
  else for (const k of cache.keys()) if (k.startsWith(`${orgId}|`)) cache.delete(k);
}

export async function describeObject(ctx: SyncContext, object: TargetObject, now = Date.now()): Promise<ObjectInfo> {
  const key = `${ctx.orgId}|${object}`;
  const hit = cache.get(key);
  if (hit && now - hit.at < ttlMs) return hit.info;
  const running = inflight.get(key);
  if (running) return running;
  const p = (async () => {
    countCall(ctx, 'describe');
    // `conn.describe` (not sobject().describe$) so jsforce's own cache does not hide staleness from us.
    const d = await withTimeout(ctx.conn.describe(object), 'describe');
    const info = toObjectInfo(object, d);
    cache.set(key, { info, at: now });
    return info;
  })().finally(() => inflight.delete(key));
  inflight.set(key, p);
  return p;
}

export function toObjectInfo(object: TargetObject, d: Pick<DescribeSObjectResult, 'fields'>): ObjectInfo {
  const fields = new Map<string, FieldInfo>();
  for (const f of d.fields) {
    fields.set(f.name.toLowerCase(), {
      name: f.name,
      type: f.type,
      length: f.length ?? 0,
      createable: f.createable,
      updateable: f.updateable,
      nillable: f.nillable,
      restrictedPicklist: f.restrictedPicklist === true,
      picklistValues: activePicklistValues(f.picklistValues),
    });
  }
  return { name: object, fields };
}

/**
 * jsforce types `picklistValues` as `any[]`; each entry is a PicklistEntry (`active`, `value`,
 * `label`, …, "DescribeSObjectResult", SOAP API Developer Guide). Only active values are writable.
 */
function activePicklistValues(entries: readonly unknown[] | null | undefined): string[] {
  return (entries ?? []).flatMap((e) =>
    typeof e === 'object' &&
    e !== null &&
    'active' in e &&
    e.active === true &&
    'value' in e &&
    typeof e.value === 'string'
      ? [e.value]
      : [],
  );
}
