import type { DmlError } from '../dml';
import { mdtRefused } from '../dml';
import type { ObjectDef } from '../schema';

export function allowSave(headers: Record<string, string | undefined>): boolean {
  return /allowSave\s*=\s*true/i.test(headers['sforce-duplicate-rule-header'] ?? '');
}

export function mdtRefusedFor(obj: ObjectDef, create: boolean): DmlError {
  const e = mdtRefused(obj, create ? 'INSERT' : 'UPDATE');
  return { statusCode: e.errorCode, message: e.message, fields: [] };
}
