// lightning/uiObjectInfoApi shapes built from the local org's describe (REST sObject Describe), so
// the modal lists the same fields Salesforce's UI API would: ObjectInfo and PicklistValues
// (User Interface API Developer Guide, "Object Info" and "Picklist Values" responses).
import type { Connection, DescribeSObjectResult } from 'jsforce';
import { z } from 'zod';

/**
 * jsforce types a describe field's picklistValues as any[]; each is a PicklistEntry (`active`,
 * `defaultValue`, `label`, `value`: "DescribeSObjectResult", SOAP API Developer Guide).
 */
const PicklistEntries = z.array(
  z.object({ active: z.boolean(), defaultValue: z.boolean(), label: z.string().nullish(), value: z.string() }),
);

// The master record type id every object has (User Interface API, "Record Type Id").
export const MASTER_RECORD_TYPE_ID = '012000000000000AAA';

const DATA_TYPES: Record<string, string> = {
  string: 'String',
  textarea: 'TextArea',
  picklist: 'Picklist',
  multipicklist: 'MultiPicklist',
  email: 'Email',
  phone: 'Phone',
  url: 'Url',
  boolean: 'Boolean',
  double: 'Double',
  int: 'Int',
  currency: 'Currency',
  percent: 'Percent',
  date: 'Date',
  datetime: 'DateTime',
  reference: 'Reference',
  id: 'Id',
  address: 'Address',
};

const ALLOWED = new Set(['Contact', 'Lead']);

export class UiApi {
  private cache = new Map<string, Promise<DescribeSObjectResult>>();
  constructor(private readonly conn: Connection) {}

  private describe(object: string): Promise<DescribeSObjectResult> {
    if (!ALLOWED.has(object))
      return Promise.reject(Object.assign(new Error(`${object} is not supported`), { status: 404 }));
    let d = this.cache.get(object);
    if (!d) {
      d = this.conn.sobject(object).describe();
      d.catch(() => this.cache.delete(object));
      this.cache.set(object, d);
    }
    return d;
  }

  async objectInfo(object: string) {
    const d = await this.describe(object);
    const fields: Record<string, unknown> = {};
    for (const f of d.fields) {
      fields[f.name] = {
        apiName: f.name,
        label: f.label,
        dataType: DATA_TYPES[f.type] ?? f.type,
        createable: f.createable,
        updateable: f.updateable,
        // UI API: required on create when not nillable and not defaulted by Salesforce.
        required: f.createable && !f.nillable && !f.defaultedOnCreate,
        length: f.length,
      };
    }
    return {
      apiName: d.name,
      label: d.label,
      labelPlural: d.labelPlural,
      keyPrefix: d.keyPrefix,
      defaultRecordTypeId: MASTER_RECORD_TYPE_ID,
      fields,
    };
  }

  async picklistValues(object: string, field: string) {
    const d = await this.describe(object);
    const f = d.fields.find((x) => x.name === field && (x.type === 'picklist' || x.type === 'multipicklist'));
    if (!f) throw Object.assign(new Error(`${object}.${field} is not a picklist`), { status: 404 });
    const active = PicklistEntries.parse(f.picklistValues ?? []).filter((v) => v.active);
    const def = active.find((v) => v.defaultValue);
    return {
      controllerValues: {},
      defaultValue: def ? { label: def.label, value: def.value, attributes: null, validFor: [] } : null,
      values: active.map((v) => ({ label: v.label ?? v.value, value: v.value, attributes: null, validFor: [] })),
    };
  }
}
