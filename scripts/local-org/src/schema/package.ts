// The package's own objects, read from its source (force-app/main/default/objects) so that the
// local org always has exactly the custom objects, custom metadata types and fields the package
// ships: one definition, in the package. Metadata types map to describe types as the Metadata API
// Developer Guide "CustomField" (FieldType) and the REST describe (DescribeFieldResult.type) document
// them: Text → string, LongTextArea → textarea, Number → double (precision = total digits),
// Checkbox → boolean, Lookup / MetadataRelationship → reference, Picklist → picklist.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import type { FieldType } from './types';

/** force-app's objects folder, found from this file (scripts/local-org/src/schema → repository root). */
export const PACKAGE_OBJECTS_DIR = path.resolve(__dirname, '../../../../force-app/main/default/objects');

export interface PackageField {
  /** API name without namespace, e.g. `Response_Id__c`. */
  name: string;
  label: string;
  type: FieldType;
  length?: number;
  precision?: number;
  scale?: number;
  required: boolean;
  externalId: boolean;
  unique: boolean;
  caseSensitive: boolean;
  /** Picklist values in order; `restricted` refuses others. */
  values?: string[];
  restricted?: boolean;
  /** Lookup / MetadataRelationship target as the package names it (no namespace), e.g. `Contact`, `CredSpark_Interaction__mdt`. */
  referenceTo?: string;
  booleanDefault?: boolean;
  inlineHelpText?: string;
}

export interface PackageObject {
  /** API name without namespace, e.g. `CredSpark_Response__c`. */
  name: string;
  kind: 'object' | 'metadata';
  label: string;
  pluralLabel: string;
  nameField?: { label: string; autoNumber: boolean; displayFormat?: string };
  fields: PackageField[];
}

const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, isArray: (n) => n === 'value' });

type Node = Record<string, unknown>;
const str = (n: Node, k: string): string | undefined => (typeof n[k] === 'string' ? n[k] : undefined);
const num = (n: Node, k: string): number | undefined => (str(n, k) === undefined ? undefined : Number(str(n, k)));
const bool = (n: Node, k: string): boolean => str(n, k) === 'true';

function fieldType(xmlType: string, file: string): FieldType {
  const map: Record<string, FieldType> = {
    Text: 'string',
    TextArea: 'textarea',
    LongTextArea: 'textarea',
    Number: 'double',
    Checkbox: 'boolean',
    Date: 'date',
    DateTime: 'datetime',
    Email: 'email',
    Phone: 'phone',
    Url: 'url',
    Picklist: 'picklist',
    MultiselectPicklist: 'multipicklist',
    Lookup: 'reference',
    MetadataRelationship: 'reference',
  };
  const t = map[xmlType];
  if (!t)
    throw new Error(`${file}: field type ${xmlType} is not emulated by the local org (add it to schema/package.ts)`);
  return t;
}

function readField(file: string): PackageField {
  const x = (parser.parse(readFileSync(file, 'utf8')) as { CustomField: Node }).CustomField;
  const type = fieldType(str(x, 'type') ?? '', file);
  const valueSet = x.valueSet as Node | undefined;
  const def = valueSet?.valueSetDefinition as { value?: Node[] } | undefined;
  return {
    name: str(x, 'fullName') ?? path.basename(file, '.field-meta.xml'),
    label: str(x, 'label') ?? '',
    type,
    length: str(x, 'type') === 'TextArea' ? 255 : num(x, 'length'),
    precision: num(x, 'precision'),
    scale: num(x, 'scale'),
    required: bool(x, 'required'),
    externalId: bool(x, 'externalId'),
    unique: bool(x, 'unique'),
    caseSensitive: bool(x, 'caseSensitive'),
    values: def?.value?.map((v) => str(v, 'fullName') ?? ''),
    restricted: valueSet ? str(valueSet, 'restricted') === 'true' : undefined,
    referenceTo: str(x, 'referenceTo'),
    booleanDefault: type === 'boolean' ? str(x, 'defaultValue') === 'true' : undefined,
    inlineHelpText: str(x, 'inlineHelpText'),
  };
}

function readObject(dir: string, name: string): PackageObject {
  const x = (parser.parse(readFileSync(path.join(dir, `${name}.object-meta.xml`), 'utf8')) as { CustomObject: Node })
    .CustomObject;
  const fieldsDir = path.join(dir, 'fields');
  const fields = existsSync(fieldsDir)
    ? readdirSync(fieldsDir)
        .filter((n) => n.endsWith('.field-meta.xml'))
        .sort()
        .map((n) => readField(path.join(fieldsDir, n)))
    : [];
  const nf = x.nameField as Node | undefined;
  return {
    name,
    kind: name.endsWith('__mdt') ? 'metadata' : 'object',
    label: str(x, 'label') ?? name,
    pluralLabel: str(x, 'pluralLabel') ?? str(x, 'label') ?? name,
    nameField: nf
      ? {
          label: str(nf, 'label') ?? 'Name',
          autoNumber: str(nf, 'type') === 'AutoNumber',
          displayFormat: str(nf, 'displayFormat'),
        }
      : undefined,
    fields,
  };
}

let cached: { dir: string; objects: PackageObject[] } | undefined;

/**
 * The package's custom objects (`__c`) and custom metadata types (`__mdt`), parsed once per
 * process. Platform events (`__e`) are not data the API writes, so they are left out.
 */
export function packageObjects(dir = PACKAGE_OBJECTS_DIR): PackageObject[] {
  if (cached?.dir === dir) return cached.objects;
  if (!existsSync(dir))
    throw new Error(
      `the package's objects were not found at ${dir}: the local org reads its custom objects from force-app`,
    );
  const objects = readdirSync(dir)
    .filter((n) => n.endsWith('__c') || n.endsWith('__mdt'))
    .sort()
    .map((n) => readObject(path.join(dir, n), n));
  cached = { dir, objects };
  return objects;
}
