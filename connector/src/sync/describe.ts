import type { DescribeSObjectResult } from 'jsforce';
import type { TargetObject } from '../rules';
import { countCall, withTimeout } from '../salesforce/calls';
import type { EngineContext } from './types';

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

export function describeObject(ctx: EngineContext, object: TargetObject, now = Date.now()): Promise<ObjectInfo> {
  return ctx.describes.get(`${ctx.orgId}|${object}`, now, async () => {
    countCall(ctx, 'describe');
    // `conn.describe` (not sobject().describe$) so jsforce's own cache does not hide staleness from us.
    const d = await withTimeout(ctx.conn.describe(object), 'describe', ctx.callTimeoutMs);
    return toObjectInfo(object, d);
  });
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
