// Schemas of Salesforce metadata types as data, and the checker that holds a parsed file to one.
// A schema lists every element its type documents (Metadata API Developer Guide, one page per type):
// an element the schema does not know, a value outside its type or enumeration, a repeated single
// element or a missing required one is reported. Add a type: write schemas/<TypeName>.js.
const METADATA_NS = 'http://soap.sforce.com/2006/04/metadata';

const spec = (kind, opts = {}) => ({ kind, ...opts });
const text = (opts) => spec('text', opts);
const bool = () => spec('boolean');
const int = (opts) => spec('int', opts);
const num = (opts) => spec('number', opts);
const oneOf = (...values) => spec('enum', { values });
const obj = (fields) => spec('object', { fields });
/** Documented free-form content (nested elements with attributes, e.g. targetConfigs): not inspected. */
const any = () => spec('any');
const list = (s) => ({ ...s, list: true });
const req = (s) => ({ ...s, required: true });

/** Checks one leaf value; returns an error message or null. */
function checkValue(s, value) {
  switch (s.kind) {
    case 'text':
      if (s.pattern && !s.pattern.test(value)) return `"${value}" does not match ${s.pattern}`;
      if (s.max && value.length > s.max) return `longer than ${s.max} characters`;
      return null;
    case 'boolean':
      return /^(true|false)$/.test(value) ? null : `"${value}" is not a boolean`;
    case 'int': {
      if (!/^-?\d+$/.test(value)) return `"${value}" is not an integer`;
      const n = Number(value);
      if (s.min !== undefined && n < s.min) return `${n} is below ${s.min}`;
      if (s.max !== undefined && n > s.max) return `${n} is above ${s.max}`;
      return null;
    }
    case 'number':
      return /^-?\d+(\.\d+)?$/.test(value) ? null : `"${value}" is not a number`;
    case 'enum':
      return s.values.includes(value) ? null : `"${value}" is not one of ${s.values.join(', ')}`;
    default:
      return `unknown schema kind ${s.kind}`;
  }
}

function checkElement(node, s, path, errors) {
  const where = `${path} (line ${node.line})`;
  if (s.kind === 'any') return;
  if (s.kind === 'object') {
    if (node.text.trim()) errors.push(`${where}: text "${node.text.trim()}" where elements are expected`);
    checkFields(node, s.fields, path, errors);
    return;
  }
  if (node.children.length) {
    errors.push(`${where}: has child elements <${node.children[0].name}> but holds a ${s.kind} value`);
    return;
  }
  if (node.attrs['xsi:nil'] === 'true') return;
  const problem = checkValue(s, node.text.trim());
  if (problem) errors.push(`${where}: ${problem}`);
}

function checkFields(node, fields, path, errors) {
  const seen = new Map();
  for (const child of node.children) {
    const s = fields[child.name];
    const childPath = `${path}.${child.name}`;
    if (!s) {
      errors.push(`${childPath} (line ${child.line}): unknown element <${child.name}> in <${node.name}>`);
      continue;
    }
    seen.set(child.name, (seen.get(child.name) || 0) + 1);
    if (!s.list && seen.get(child.name) === 2) errors.push(`${childPath} (line ${child.line}): appears more than once`);
    checkElement(child, s, childPath, errors);
  }
  for (const [name, s] of Object.entries(fields)) {
    if (s.required && !seen.has(name)) errors.push(`${path}: required element <${name}> is missing`);
  }
}

/**
 * Validates a parsed metadata file (./xml.js) against a type schema. Returns messages; empty = valid.
 * schema: { type, root?, fields, rules?: [(root) => string[]] } — root defaults to type.
 */
function validate(root, schema) {
  const errors = [];
  const rootName = schema.root || schema.type;
  if (root.name !== rootName) return [`root element is <${root.name}>, expected <${rootName}>`];
  if (root.attrs.xmlns !== METADATA_NS) errors.push(`<${rootName}> must declare xmlns="${METADATA_NS}"`);
  checkFields(root, schema.fields, rootName, errors);
  for (const rule of schema.rules || []) errors.push(...rule(root));
  return errors;
}

/** Text of the direct child elements named `name` of a parsed node. */
const values = (node, name) => node.children.filter((c) => c.name === name).map((c) => c.text.trim());

module.exports = { text, bool, int, num, oneOf, obj, any, list, req, validate, values, METADATA_NS };
