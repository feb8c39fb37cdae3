// Pure helpers of the sync rule editor (no DOM): rows, options, validation in the help article's
// words (from the shared rules generated out of connector/src/rules/syncRules.json), type hints.
import {
    REQUIRED_MESSAGES,
    SYSTEM_FIELDS,
    missingRequiredFields,
    duplicateTargets,
    tooManyMappings,
    defaultMappings
} from 'c/credsparkSyncRules';

let nextId = 0;
const rowId = () => `row-${++nextId}`;

/** Editor rows from saved mappings (or the default mappings for a new rule). */
export function toRows(rule) {
    const mappings = rule ? rule.mappings || [] : defaultMappings();
    return mappings.map((m) => ({
        id: rowId(),
        mode: m.staticValue && !m.sourceField ? 'fixed' : 'field',
        sourceField: m.sourceField || null,
        targetField: m.targetField || null,
        staticValue: m.staticValue || null
    }));
}

export const newRow = () => ({ id: rowId(), mode: 'field', sourceField: null, targetField: null, staticValue: null });

/** CredSpark fields: the interaction's answers plus the system $ fields. */
export function sourceFields(interaction) {
    return [...((interaction && interaction.fields) || []), ...SYSTEM_FIELDS];
}

/** Writable fields of the object (createable and updateable), required ones marked with "*". */
export function targetOptions(objectInfo) {
    if (!objectInfo) return [];
    return Object.values(objectInfo.fields)
        .filter((f) => f.createable && f.updateable)
        .map((f) => ({ label: f.required ? `${f.label} *` : f.label, value: f.apiName, required: f.required }))
        .sort((a, b) => a.label.localeCompare(b.label));
}

const mapped = (rows) =>
    rows.map((r) => ({
        targetField: r.targetField,
        sourceField: r.mode === 'field' ? r.sourceField : null,
        staticValue: r.mode === 'fixed' ? r.staticValue : null
    }));

/** Blocking errors; the required-fields message blocks only an enabled rule (as in Apex). */
export function validate({ enabled, targetObject, rows }) {
    const errors = [];
    const mappings = mapped(rows);
    const limit = tooManyMappings(mappings);
    if (limit) errors.push(limit);
    if (mappings.some((m) => !m.targetField)) errors.push('Choose a Salesforce field for every mapping.');
    if (mappings.some((m) => m.targetField && !m.sourceField && !m.staticValue)) {
        errors.push('Choose a CredSpark field or enter a fixed value for every mapping.');
    }
    duplicateTargets(mappings).forEach((f) => errors.push(`${f} is mapped more than once.`));
    const missing = missingRequiredFields(targetObject, mappings).length > 0;
    if (missing && enabled) errors.push(REQUIRED_MESSAGES[targetObject]);
    return { errors, requiredWarning: missing && !enabled ? REQUIRED_MESSAGES[targetObject] : null };
}

// Which Salesforce data types a CredSpark answer type can be written to without conversion loss.
const TEXTUAL = ['String', 'TextArea', 'Picklist', 'Email', 'Phone', 'Url'];
const COMPATIBLE = {
    number: ['Double', 'Int', 'Currency', 'Percent', 'String', 'TextArea'],
    boolean: ['Boolean', 'String'],
    date: ['Date', 'DateTime', 'String'],
    datetime: ['DateTime', 'Date', 'String'],
    email: ['Email', 'String', 'TextArea'],
    phone: ['Phone', 'String', 'TextArea'],
    url: ['Url', 'String', 'TextArea'],
    multiple_choice: ['MultiPicklist', 'String', 'TextArea'],
    single_choice: ['Picklist', 'String', 'TextArea']
};

/** Non-blocking hints where a CredSpark field's type may not fit the Salesforce field. */
export function typeHints(rows, fields, objectInfo) {
    if (!objectInfo) return [];
    return rows
        .filter((r) => r.mode === 'field' && r.sourceField && r.targetField)
        .map((r) => {
            const source = fields.find((f) => f.key === r.sourceField);
            const target = objectInfo.fields[r.targetField];
            if (!source || !target) return null;
            const ok = COMPATIBLE[source.type] || TEXTUAL;
            return ok.includes(target.dataType)
                ? null
                : `${source.label} (${source.type}) may not fit ${target.label} (${target.dataType}).`;
        })
        .filter(Boolean);
}

/** The RuleInput Apex expects (CredSparkSetupModels.RuleInput). */
export function toInput(interactionDeveloperName, { enabled, targetObject, rows }) {
    return { interactionDeveloperName, enabled, targetObject, mappings: mapped(rows) };
}

/** What the interaction list shows for one interaction (Apex counts mappings and unmapped required fields). */
export function summarize(interaction) {
    const rule = interaction.rule;
    if (!rule) return { state: 'Not set up', objectName: '—', mappingCount: 0, warnings: [] };
    return {
        state: rule.enabled ? 'Enabled' : 'Disabled',
        objectName: rule.targetObject,
        mappingCount: rule.mappingCount || 0,
        warnings: (rule.missingRequired || []).map((label) => `${label} not mapped`)
    };
}
