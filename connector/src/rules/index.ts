import rules from './syncRules.json';

/** The sync rules shared with the Salesforce package (see syncRules.json for the generated copies). */
export type TargetObject = 'Contact' | 'Lead';
export const TARGET_OBJECTS = rules.targetObjects as TargetObject[];
export const REQUIRED_FIELDS: Record<TargetObject, { field: string; label: string }[]> = rules.requiredFields;
export const REQUIRED_MESSAGES: Record<TargetObject, string> = rules.requiredMessages;
export const DEFAULT_MAPPINGS: { sourceField: string; targetField: string }[] = rules.defaultMappings;
export const MATCH_FIELD: string = rules.matchField;
export const SYSTEM_FIELDS: { key: string; label: string; type: string }[] = rules.systemFields;

// Matching options of a sync rule and the org's CredSpark settings (SPEC §3):
// allowed values, the default when a field is empty, bounds.
export type DuplicateHandling = 'Fail' | 'Update_Match';
export type ConvertedLead = 'New_Lead' | 'Update_Contact';
export type ResponseRecords = 'None' | 'Failures' | 'All';
export const MATCHING_OPTIONS = rules.matchingOptions;
export const SETTINGS = rules.settings;
