// The describe catalogue of one org: the standard objects plus the package's custom objects and
// custom metadata types under the org's namespace (SPEC §3: `credspark__` prefix on every custom
// type, object and field; none when the namespace is ''). Bodies follow the REST API Developer
// Guide "sObject Describe" (DescribeSObjectResult) and "Describe Global".
import { packageObjects, type PackageField, type PackageObject } from './package';
import { standardObjects } from './standard';
import { f, ro, systemFields, type FieldDef, type FieldType, type ObjectDef, type ObjectSpec } from './types';

/**
 * Key prefixes of the package's objects. Fixed for the known ones (ids in saved snapshots keep
 * their object); any other gets the next free one in name order (custom objects `a00`…,
 * custom metadata types `m00`…, as Salesforce assigns per org).
 */
const KNOWN_PREFIX: Record<string, string> = {
  CredSpark_Connection__mdt: 'm00',
  CredSpark_Interaction__mdt: 'm01',
  CredSpark_Sync_Rule__mdt: 'm02',
  CredSpark_Field_Mapping__mdt: 'm03',
  CredSpark_Settings__mdt: 'm04',
  CredSpark_Response__c: 'a00',
  CredSpark_Usage__c: 'a01',
};

function prefixes(objects: PackageObject[]): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set(Object.values(KNOWN_PREFIX));
  for (const o of objects) {
    let p = KNOWN_PREFIX[o.name];
    for (let i = 0; !p; i++) {
      const c = `${o.kind === 'metadata' ? 'm' : 'a'}${String(i).padStart(2, '0')}`;
      if (!used.has(c)) p = c;
    }
    used.add(p);
    out.set(o.name, p);
  }
  return out;
}

/** `credspark__X` for a package name, the name itself for a standard object. */
function qualify(ns: string, name: string): string {
  return ns && /__(c|mdt)$/.test(name) ? `${ns}__${name}` : name;
}

function packageField(ns: string, pf: PackageField, metadata: boolean): FieldDef {
  const name = qualify(ns, pf.name);
  const ref = pf.type === 'reference' && pf.referenceTo;
  const opt = {
    length: pf.length,
    precision: pf.precision,
    scale: pf.scale,
    nillable: pf.type === 'boolean' ? false : !pf.required,
    required: pf.required || undefined,
    defaultedOnCreate: pf.type === 'boolean',
    restrictedPicklist: pf.restricted ?? false,
    values: pf.values,
    referenceTo: ref ? [qualify(ns, pf.referenceTo!)] : undefined,
    relationshipName: ref ? name.replace(/__c$/, '__r') : undefined,
    externalId: pf.externalId,
    unique: pf.unique,
    caseSensitive: pf.caseSensitive,
    booleanDefault: pf.booleanDefault,
    inlineHelpText: pf.inlineHelpText,
    // Custom metadata records are written only through the Metadata API: no field is API-writable.
    ...(metadata ? ro : {}),
  };
  return f(name, pf.label, pf.type, opt);
}

/** What every object of the package is: custom, named in the package's namespace. */
function packageObjectSpec(ns: string, o: PackageObject, keyPrefix: string) {
  return { name: qualify(ns, o.name), label: o.label, labelPlural: o.pluralLabel, keyPrefix, custom: true };
}

/** Custom metadata: DeveloperName, MasterLabel, QualifiedApiName, NamespacePrefix... (Salesforce
 *  Help "Custom Metadata Types" standard fields) plus the type's own fields. */
function metadataType(ns: string, o: PackageObject, keyPrefix: string): ObjectSpec {
  return {
    ...packageObjectSpec(ns, o, keyPrefix),
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
      ...o.fields.map((pf) => packageField(ns, pf, true)),
    ],
  };
}

/** A custom object: system fields, its Name (an auto-number is read-only and set on create), its fields. */
function customObject(ns: string, o: PackageObject, keyPrefix: string): ObjectSpec {
  const nf = o.nameField;
  const name = nf?.autoNumber
    ? f('Name', nf.label, 'string', {
        length: 80,
        nillable: false,
        defaultedOnCreate: true,
        autoNumber: true,
        displayFormat: nf.displayFormat,
        ...ro,
      })
    : f('Name', nf?.label ?? 'Name', 'string', { length: 80, defaultedOnCreate: true });
  return {
    ...packageObjectSpec(ns, o, keyPrefix),
    isMetadata: false,
    fields: [...systemFields({ owner: true }), name, ...o.fields.map((pf) => packageField(ns, pf, false))],
  };
}

export function buildCatalogue(ns: string): Map<string, ObjectDef> {
  const pkg = packageObjects();
  const pre = prefixes(pkg);
  const defs: ObjectSpec[] = [
    ...standardObjects(),
    ...pkg.map((o) =>
      o.kind === 'metadata' ? metadataType(ns, o, pre.get(o.name)!) : customObject(ns, o, pre.get(o.name)!),
    ),
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
      const { required: _r, booleanDefault: _b, displayFormat: _d, ...rest } = x;
      const def = x.picklistValues.find((v) => v.defaultValue);
      return {
        ...rest,
        defaultValue: def
          ? def.value
          : x.type === 'boolean' && x.defaultedOnCreate
            ? (x.booleanDefault ?? false)
            : null,
        soapType: soapType(x.type),
        unique: x.unique ?? false,
        externalId: x.externalId ?? false,
        caseSensitive: x.caseSensitive ?? false,
        autoNumber: x.autoNumber ?? false,
        inlineHelpText: x.inlineHelpText ?? null,
        idLookup: x.name === 'Id' || (x.externalId ?? false),
        filterable: true,
        groupable: x.type !== 'textarea' && x.type !== 'multipicklist' && x.type !== 'double' && x.type !== 'currency',
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
  const dml = !o.isMetadata && !o.readOnly;
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
    searchable: !o.isMetadata,
    layoutable: !o.isMetadata,
    mergeable: false,
    replicateable: !o.isMetadata,
    triggerable: !o.isMetadata,
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
