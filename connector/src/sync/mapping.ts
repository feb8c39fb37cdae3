import { MATCH_FIELD, REQUIRED_FIELDS, REQUIRED_MESSAGES } from '../rules';
import type { ResponseWarning } from '../store/types';
import { convertValue } from './convert';
import type { ObjectInfo } from './describe';
import { sourceValue, type ResponsePayload } from './payload';
import type { SyncRule } from './settings';
import type { SyncOutcome } from './types';

type OkRule = Extract<SyncRule, { ok: true }>;
type Failure = Extract<SyncOutcome, { status: 'failed' }>;

/** One response's mapped values, ready to be written (field names in their canonical spelling). */
export interface MappedRecord {
  responseId: string;
  /** Non-empty converted values only: an unanswered question never blanks a value (SPEC §2). */
  fields: Record<string, string | number | boolean>;
  /** The value mapped to Email (the match key), lower-cased; undefined when none. */
  matchKey?: string;
  warnings: ResponseWarning[];
}

/**
 * Rule-level checks done before any write (SPEC §2): required fields mapped, every target field
 * exists and is writable per describe. The answer is the same for every response of the rule.
 */
export function checkRule(rule: OkRule, info: ObjectInfo): Failure | undefined {
  const mapped = new Set(rule.mappings.map((m) => m.targetField.toLowerCase()));
  const missing = REQUIRED_FIELDS[rule.target].filter((f) => !mapped.has(f.field.toLowerCase()));
  if (missing.length > 0) {
    return {
      status: 'failed',
      code: 'REQUIRED_FIELD_NOT_MAPPED',
      object: rule.target,
      message: `${REQUIRED_MESSAGES[rule.target]}: map ${missing.map((f) => `${f.label} (${f.field})`).join(' and ')} in the sync rule of this interaction`,
    };
  }
  for (const m of rule.mappings) {
    const f = info.fields.get(m.targetField.toLowerCase());
    if (!f)
      return {
        status: 'failed',
        code: 'INVALID_MAPPING',
        object: rule.target,
        message: `${rule.target}.${m.targetField} does not exist (mapped from ${m.sourceField ?? 'a fixed value'})`,
      };
    if (!f.createable && !f.updateable)
      return {
        status: 'failed',
        code: 'INVALID_MAPPING',
        object: rule.target,
        message: `${rule.target}.${f.name} cannot be written (read-only for the connected user)`,
      };
  }
  return undefined;
}

/** Maps and converts one response's values; fails with INVALID_FIELD_VALUE naming field and value. */
export function mapResponse(rule: OkRule, info: ObjectInfo, p: ResponsePayload): MappedRecord | Failure {
  const fields: Record<string, string | number | boolean> = {};
  const warnings: ResponseWarning[] = [];
  for (const m of rule.mappings) {
    const f = info.fields.get(m.targetField.toLowerCase())!; // checkRule ran first
    const raw = m.sourceField !== undefined ? sourceValue(p, m.sourceField) : m.staticValue;
    const c = convertValue(f, raw);
    if (!c.ok) return { status: 'failed', code: c.code, object: rule.target, message: c.message };
    if ('empty' in c) continue;
    if (c.warning) warnings.push({ code: 'FIELD_TRUNCATED', message: c.warning });
    fields[f.name] = c.value;
  }
  const email = fields[MATCH_FIELD];
  return {
    responseId: p.responseId,
    fields,
    matchKey: typeof email === 'string' ? email.trim().toLowerCase() : undefined,
    warnings,
  };
}

/** For a create: required fields whose (merged) value is empty → REQUIRED_FIELD_MISSING. */
export function missingRequired(rule: OkRule, fields: Record<string, unknown>): Failure | undefined {
  const missing = REQUIRED_FIELDS[rule.target].filter((f) => fields[f.field] === undefined);
  if (missing.length === 0) return undefined;
  return {
    status: 'failed',
    code: 'REQUIRED_FIELD_MISSING',
    object: rule.target,
    message: `A new ${rule.target} needs ${missing.map((f) => `${f.label} (${f.field})`).join(' and ')}, but the response left it empty`,
  };
}
