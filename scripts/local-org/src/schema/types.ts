// The describe catalogue's building blocks. Field shapes follow the REST API Developer Guide
// "sObject Describe" (DescribeFieldResult).

export type FieldType =
  | 'id'
  | 'string'
  | 'email'
  | 'phone'
  | 'url'
  | 'textarea'
  | 'picklist'
  | 'multipicklist'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'double'
  | 'int'
  | 'currency'
  | 'reference';

export interface PicklistValue {
  value: string;
  label: string;
  active: boolean;
  defaultValue: boolean;
  validFor: null;
}

export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
  length: number;
  nillable: boolean;
  createable: boolean;
  updateable: boolean;
  defaultedOnCreate: boolean;
  custom: boolean;
  picklistValues: PicklistValue[];
  restrictedPicklist: boolean;
  referenceTo: string[];
  relationshipName: string | null;
  precision: number;
  scale: number;
  /** Required on create for the REST API (nillable false, not defaulted). */
  required?: boolean;
  externalId?: boolean;
  unique?: boolean;
  caseSensitive?: boolean;
  autoNumber?: boolean;
  /** An auto-number's display format, e.g. `R-{0000000000}`. */
  displayFormat?: string;
  inlineHelpText?: string;
  /** A Checkbox's value on create when none is given. */
  booleanDefault?: boolean;
}

export interface ObjectDef {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  custom: boolean;
  isMetadata: boolean;
  /** Queryable but not writable through the API (e.g. CampaignMemberStatus in the current Object Reference). */
  readOnly?: boolean;
  fields: FieldDef[];
  byLower: Map<string, FieldDef>;
  relByLower: Map<string, FieldDef>;
}

export type ObjectSpec = Omit<ObjectDef, 'byLower' | 'relByLower'>;

export type Opt = Partial<FieldDef> & { values?: string[]; defaultValue?: string };

const LENGTHS: Partial<Record<FieldType, number>> = {
  id: 18,
  email: 80,
  phone: 40,
  url: 255,
  textarea: 32000,
  picklist: 255,
  multipicklist: 4099,
  reference: 18,
};

export function f(name: string, label: string, type: FieldType, o: Opt = {}): FieldDef {
  const { values, defaultValue, ...rest } = o;
  return {
    ...rest,
    name,
    label,
    type,
    length: o.length ?? LENGTHS[type] ?? (type === 'string' ? 255 : 0),
    nillable: o.nillable ?? true,
    createable: o.createable ?? true,
    updateable: o.updateable ?? true,
    defaultedOnCreate: o.defaultedOnCreate ?? false,
    custom: name.endsWith('__c'),
    picklistValues: (values ?? []).map((v) => ({
      value: v,
      label: v,
      active: true,
      defaultValue: v === defaultValue,
      validFor: null,
    })),
    restrictedPicklist: o.restrictedPicklist ?? false,
    referenceTo: o.referenceTo ?? [],
    relationshipName: o.relationshipName ?? null,
    precision: o.precision ?? (type === 'double' || type === 'currency' ? 18 : 0),
    scale: o.scale ?? (type === 'currency' ? 2 : 0),
  };
}

export const ro = { createable: false, updateable: false } as const;
const sysro = { nillable: false, ...ro, defaultedOnCreate: true } as const;

/** Id, IsDeleted and the audit fields every data object has (Object Reference "System Fields"). */
export function systemFields(opts: { owner: boolean }): FieldDef[] {
  return [
    f('Id', 'Record ID', 'id', sysro),
    f('IsDeleted', 'Deleted', 'boolean', sysro),
    ...(opts.owner
      ? [f('OwnerId', 'Owner ID', 'reference', { ...sysro, referenceTo: ['User'], relationshipName: 'Owner' })]
      : []),
    f('CreatedDate', 'Created Date', 'datetime', sysro),
    f('CreatedById', 'Created By ID', 'reference', { ...sysro, referenceTo: ['User'], relationshipName: 'CreatedBy' }),
    f('LastModifiedDate', 'Last Modified Date', 'datetime', sysro),
    f('LastModifiedById', 'Last Modified By ID', 'reference', {
      ...sysro,
      referenceTo: ['User'],
      relationshipName: 'LastModifiedBy',
    }),
    f('SystemModstamp', 'System Modstamp', 'datetime', sysro),
  ];
}
