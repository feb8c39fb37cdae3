// The describe catalogue: Contact, Lead (with a few custom fields) and the four custom metadata
// types of SPEC §3, named under the org's namespace. Field shapes follow the REST API Developer
// Guide "sObject Describe" (DescribeFieldResult).

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
}

export interface ObjectDef {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  custom: boolean;
  isMetadata: boolean;
  fields: FieldDef[];
  byLower: Map<string, FieldDef>;
  relByLower: Map<string, FieldDef>;
}

type Opt = Partial<FieldDef> & { values?: string[]; defaultValue?: string };
function f(name: string, label: string, type: FieldType, o: Opt = {}): FieldDef {
  const lengths: Partial<Record<FieldType, number>> = {
    id: 18,
    email: 80,
    phone: 40,
    url: 255,
    textarea: 32000,
    picklist: 255,
    multipicklist: 4099,
    reference: 18,
  };
  return {
    name,
    label,
    type,
    length: o.length ?? lengths[type] ?? (type === 'string' ? 255 : 0),
    nillable: o.nillable ?? true,
    createable: o.createable ?? true,
    updateable: o.updateable ?? true,
    defaultedOnCreate: o.defaultedOnCreate ?? false,
    custom: name.endsWith('__c'),
    picklistValues: (o.values ?? []).map((v) => ({
      value: v,
      label: v,
      active: true,
      defaultValue: v === o.defaultValue,
      validFor: null,
    })),
    restrictedPicklist: o.restrictedPicklist ?? false,
    referenceTo: o.referenceTo ?? [],
    relationshipName: o.relationshipName ?? null,
    precision: o.precision ?? (type === 'double' || type === 'currency' ? 18 : 0),
    scale: o.scale ?? (type === 'currency' ? 2 : 0),
    required: o.required,
  };
}

const sys = (): FieldDef[] => [
  f('Id', 'Record ID', 'id', { nillable: false, createable: false, updateable: false, defaultedOnCreate: true }),
  f('IsDeleted', 'Deleted', 'boolean', {
    nillable: false,
    createable: false,
    updateable: false,
    defaultedOnCreate: true,
  }),
  f('CreatedDate', 'Created Date', 'datetime', {
    nillable: false,
    createable: false,
    updateable: false,
    defaultedOnCreate: true,
  }),
  f('LastModifiedDate', 'Last Modified Date', 'datetime', {
    nillable: false,
    createable: false,
    updateable: false,
    defaultedOnCreate: true,
  }),
  f('SystemModstamp', 'System Modstamp', 'datetime', {
    nillable: false,
    createable: false,
    updateable: false,
    defaultedOnCreate: true,
  }),
];

const LEAD_SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other', 'CredSpark'];
const INDUSTRIES = ['Agriculture', 'Banking', 'Education', 'Finance', 'Healthcare', 'Technology', 'Other'];
const INTERESTS = ['Pricing', 'Demo', 'Integrations', 'Support'];

function personFields(): FieldDef[] {
  return [
    f('Salutation', 'Salutation', 'picklist', { length: 40, values: ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.'] }),
    f('FirstName', 'First Name', 'string', { length: 40 }),
    f('LastName', 'Last Name', 'string', { length: 80, nillable: false, required: true }),
    f('Name', 'Full Name', 'string', { length: 121, nillable: false, createable: false, updateable: false }),
    f('Email', 'Email', 'email'),
    f('Phone', 'Phone', 'phone'),
    f('MobilePhone', 'Mobile Phone', 'phone'),
    f('Title', 'Title', 'string', { length: 128 }),
    f('LeadSource', 'Lead Source', 'picklist', { values: LEAD_SOURCES }),
    f('Description', 'Description', 'textarea'),
    f('HasOptedOutOfEmail', 'Email Opt Out', 'boolean', { nillable: false, defaultedOnCreate: true }),
    f('Quiz_Score__c', 'Quiz Score', 'double', { precision: 18, scale: 2 }),
    f('Interests__c', 'Interests', 'multipicklist', { values: INTERESTS }),
    f('Last_Quiz_Date__c', 'Last Quiz Date', 'date'),
    f('Webinar_Attended__c', 'Webinar Attended', 'boolean', { nillable: false, defaultedOnCreate: true }),
  ];
}

function contact(): Omit<ObjectDef, 'byLower' | 'relByLower'> {
  return {
    name: 'Contact',
    label: 'Contact',
    labelPlural: 'Contacts',
    keyPrefix: '003',
    custom: false,
    isMetadata: false,
    fields: [
      ...sys(),
      ...personFields(),
      f('Department', 'Department', 'string', { length: 80 }),
      f('Birthdate', 'Birthdate', 'date'),
    ],
  };
}

function lead(): Omit<ObjectDef, 'byLower' | 'relByLower'> {
  return {
    name: 'Lead',
    label: 'Lead',
    labelPlural: 'Leads',
    keyPrefix: '00Q',
    custom: false,
    isMetadata: false,
    fields: [
      ...sys(),
      ...personFields(),
      f('Company', 'Company', 'string', { length: 255, nillable: false, required: true }),
      f('Status', 'Lead Status', 'picklist', {
        nillable: false,
        defaultedOnCreate: true,
        restrictedPicklist: true,
        values: ['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted', 'Closed - Not Converted'],
        defaultValue: 'Open - Not Contacted',
      }),
      f('IsConverted', 'Converted', 'boolean', {
        nillable: false,
        createable: false,
        updateable: false,
        defaultedOnCreate: true,
      }),
      f('ConvertedDate', 'Converted Date', 'date', { createable: false, updateable: false }),
      f('Industry', 'Industry', 'picklist', { length: 255, values: INDUSTRIES }),
      f('NumberOfEmployees', 'Employees', 'int', { precision: 8 }),
      f('AnnualRevenue', 'Annual Revenue', 'currency'),
      f('Website', 'Website', 'url'),
      f('Rating', 'Rating', 'picklist', { values: ['Hot', 'Warm', 'Cold'] }),
    ],
  };
}

/** Custom metadata: DeveloperName, MasterLabel, QualifiedApiName, NamespacePrefix... (Salesforce
 *  Help "Custom Metadata Types" standard fields) plus the type's own fields. */
function mdt(
  ns: string,
  base: string,
  label: string,
  keyPrefix: string,
  own: [string, string, FieldType, Opt?][],
): Omit<ObjectDef, 'byLower' | 'relByLower'> {
  const p = ns ? ns + '__' : '';
  const ro = { createable: false, updateable: false };
  return {
    name: `${p}${base}__mdt`,
    label,
    labelPlural: label,
    keyPrefix,
    custom: true,
    isMetadata: true,
    fields: [
      f('Id', 'Custom Metadata Record ID', 'id', { nillable: false, ...ro }),
      f('DeveloperName', 'Custom Metadata Record Name', 'string', { length: 40, nillable: false, ...ro }),
      f('MasterLabel', 'Label', 'string', { length: 40, nillable: false, ...ro }),
      f('Label', 'Label', 'string', { length: 40, nillable: false, ...ro }),
      f('Language', 'Master Language', 'picklist', { length: 40, nillable: false, values: ['en_US'], ...ro }),
      f('NamespacePrefix', 'Namespace Prefix', 'string', { length: 15, ...ro }),
      f('QualifiedApiName', 'Qualified API Name', 'string', { length: 70, nillable: false, ...ro }),
      f('SystemModstamp', 'System Modstamp', 'datetime', { nillable: false, ...ro }),
      ...own.map(([n, l, t, o]) => f(`${p}${n}`, l, t, { ...ro, ...(o ?? {}) })),
    ],
  };
}

export const MDT_PREFIX: Record<string, string> = {
  CredSpark_Connection: 'm00',
  CredSpark_Interaction: 'm01',
  CredSpark_Sync_Rule: 'm02',
  CredSpark_Field_Mapping: 'm03',
};

export function buildCatalogue(ns: string): Map<string, ObjectDef> {
  const p = ns ? ns + '__' : '';
  const rel = (field: string, target: string): [string, string, FieldType, Opt] => [
    `${field}__c`,
    field.replace(/_/g, ' '),
    'reference',
    { referenceTo: [`${p}${target}__mdt`], relationshipName: `${p}${field}__r` },
  ];
  const defs = [
    contact(),
    lead(),
    mdt(ns, 'CredSpark_Connection', 'CredSpark Connection', MDT_PREFIX.CredSpark_Connection, [
      ['Account_Id__c', 'Account Id', 'string', { length: 64 }],
      ['Status__c', 'Status', 'string', { length: 16 }],
      ['Connected_User__c', 'Connected User', 'string', { length: 255 }],
      ['Connected_At__c', 'Connected At', 'datetime'],
    ]),
    mdt(ns, 'CredSpark_Interaction', 'CredSpark Interaction', MDT_PREFIX.CredSpark_Interaction, [
      ['Interaction_Id__c', 'Interaction Id', 'string', { length: 64 }],
      // LongTextArea(32768), as the package defines it (force-app …/CredSpark_Interaction__mdt/fields/Fields__c).
      ['Fields__c', 'Fields', 'textarea', { length: 32768 }],
    ]),
    mdt(ns, 'CredSpark_Sync_Rule', 'CredSpark Sync Rule', MDT_PREFIX.CredSpark_Sync_Rule, [
      rel('Interaction', 'CredSpark_Interaction'),
      ['Enabled__c', 'Enabled', 'boolean', { nillable: false }],
      ['Target_Object__c', 'Target Object', 'string', { length: 16 }],
      ['Enabled_At__c', 'Enabled At', 'datetime'],
      // SPEC §3: matching options of issue 16.
      ['Duplicate_Handling__c', 'Duplicate Handling', 'string', { length: 16 }],
      ['Converted_Lead__c', 'Converted Lead', 'string', { length: 16 }],
      ['Campaign_Id__c', 'Campaign Id', 'string', { length: 18 }],
      ['Campaign_Status__c', 'Campaign Status', 'string', { length: 40 }],
    ]),
    mdt(ns, 'CredSpark_Field_Mapping', 'CredSpark Field Mapping', MDT_PREFIX.CredSpark_Field_Mapping, [
      rel('Sync_Rule', 'CredSpark_Sync_Rule'),
      ['Source_Field__c', 'Source Field', 'string', { length: 255 }],
      ['Target_Field__c', 'Target Field', 'string', { length: 255 }],
      ['Static_Value__c', 'Static Value', 'string', { length: 255 }],
    ]),
  ];
  const out = new Map<string, ObjectDef>();
  for (const d of defs) {
    const byLower = new Map(d.fields.map((x) => [x.name.toLowerCase(), x]));
    const relByLower = new Map(
      d.fields.filter((x) => x.relationshipName).map((x) => [x.relationshipName!.toLowerCase(), x]),
    );
    out.set(d.name.toLowerCase(), { ...d, byLower, relByLower });
  }
  return out;
}

/** The REST describe body of one object (a realistic subset of DescribeSObjectResult). */
export function describeObject(o: ObjectDef, version: string): Record<string, unknown> {
  const base = `/services/data/v${version}/sobjects/${o.name}`;
  return {
    ...globalEntry(o, version),
    fields: o.fields.map((x) => {
      const { required: _r, ...rest } = x;
      const def = x.picklistValues.find((v) => v.defaultValue);
      return {
        ...rest,
        defaultValue: def ? def.value : x.type === 'boolean' && x.defaultedOnCreate ? false : null,
        soapType: soapType(x.type),
        unique: false,
        externalId: false,
        filterable: true,
        sortable: x.type !== 'textarea' && x.type !== 'multipicklist',
        nameField: x.name === 'Name' || (o.isMetadata && x.name === 'DeveloperName'),
        calculated: false,
      };
    }),
    childRelationships: [],
    recordTypeInfos: [],
    urls: { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` },
  };
}

export function globalEntry(o: ObjectDef, version: string): Record<string, unknown> {
  const base = `/services/data/v${version}/sobjects/${o.name}`;
  const dml = !o.isMetadata;
  return {
    name: o.name,
    label: o.label,
    labelPlural: o.labelPlural,
    keyPrefix: o.keyPrefix,
    custom: o.custom,
    customSetting: false,
    createable: dml,
    updateable: dml,
    deletable: dml,
    queryable: true,
    retrieveable: true,
    searchable: dml,
    layoutable: dml,
    mergeable: false,
    replicateable: dml,
    triggerable: dml,
    undeletable: dml,
    urls: { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` },
  };
}

function soapType(t: FieldType): string {
  switch (t) {
    case 'id':
    case 'reference':
      return 'tns:ID';
    case 'boolean':
      return 'xsd:boolean';
    case 'date':
      return 'xsd:date';
    case 'datetime':
      return 'xsd:dateTime';
    case 'double':
    case 'currency':
      return 'xsd:double';
    case 'int':
      return 'xsd:int';
    default:
      return 'xsd:string';
  }
}
