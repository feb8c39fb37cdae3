// Optional persistence: the whole state as one JSON file, written (atomically) shortly after a
// change and on close, loaded at start.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { buildCatalogue } from './schema';
import { rng, type Org, type State } from './state';
import { emailRule } from './rules/duplicates';
import { ensureOrgUser } from './rules/users';

export function saveSnapshot(state: State, file: string): void {
  const data = {
    version: 1,
    demoOrgId: state.demoOrgId,
    autoApprove: state.autoApprove,
    apps: [...state.apps.values()],
    sessions: [...state.sessions.entries()],
    refreshGrants: [...state.refreshGrants.entries()],
    orgs: [...state.orgs.values()].map((o) => ({
      orgId: o.orgId,
      name: o.name,
      namespace: o.namespace,
      username: o.username,
      userId: o.userId,
      dailyApiLimit: o.dailyApiLimit,
      apiUsed: o.apiUsed,
      autoNumbers: o.autoNumbers,
      serial: o.serial,
      apiCalls: o.apiCalls,
      duplicateRules: o.duplicateRules,
      records: [...o.records.entries()].map(([k, t]) => [k, [...t.values()]]),
    })),
  };
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(data));
  renameSync(tmp, file);
}

const sessionSchema = z.object({
  orgId: z.string(),
  userId: z.string(),
  clientId: z.string(),
  scope: z.string(),
  expired: z.boolean(),
  refreshToken: z.string().optional(),
});
const grantSchema = z.object({ orgId: z.string(), userId: z.string(), clientId: z.string(), scope: z.string() });
const dupAction = z.enum(['block', 'alert']).optional();
const person = z.enum(['Contact', 'Lead']);
const dupRule = z.object({
  name: z.string(),
  object: person,
  action: z.enum(['block', 'alert']),
  match: z.enum(['email', 'name', 'email_or_name', 'email_and_name']),
  compareWith: person,
  onEdit: z.boolean(),
  errorMessage: z.string(),
});

/** What saveSnapshot writes (version 1). */
const snapshotSchema = z.object({
  version: z.literal(1),
  demoOrgId: z.string(),
  autoApprove: z.boolean(),
  apps: z.array(
    z.object({ name: z.string(), clientId: z.string(), clientSecret: z.string(), callbackUrls: z.array(z.string()) }),
  ),
  sessions: z.array(z.tuple([z.string(), sessionSchema])),
  refreshGrants: z.array(z.tuple([z.string(), grantSchema])),
  orgs: z.array(
    z.object({
      orgId: z.string(),
      name: z.string(),
      namespace: z.string(),
      username: z.string(),
      userId: z.string(),
      dailyApiLimit: z.number(),
      apiUsed: z.number().optional(),
      autoNumbers: z.record(z.string(), z.number()).optional(),
      serial: z.number(),
      apiCalls: z.object({ total: z.number(), byKind: z.record(z.string(), z.number()) }),
      // Earlier snapshots kept one email rule per object as { Contact?: action, Lead?: action }.
      duplicateRules: z.union([z.array(dupRule), z.object({ Contact: dupAction, Lead: dupAction })]),
      records: z.array(z.tuple([z.string(), z.array(z.looseObject({ Id: z.string() }))])),
    }),
  ),
});

/**
 * Loads a snapshot written by saveSnapshot. A file of another version is ignored (false); a
 * version-1 file that does not match the format throws, naming the file and the bad fields.
 */
export function loadSnapshot(state: State, file: string): boolean {
  if (!existsSync(file)) return false;
  const json: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (typeof json !== 'object' || json === null || !('version' in json) || json.version !== 1) return false;
  const parsed = snapshotSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${file} is not a valid local-org snapshot:\n${z.prettifyError(parsed.error)}`);
  const data = parsed.data;
  state.orgs.clear();
  state.apps.clear();
  state.sessions.clear();
  state.refreshGrants.clear();
  state.demoOrgId = state.fixedDemoOrgId = data.demoOrgId;
  state.autoApprove = data.autoApprove;
  for (const a of data.apps) state.apps.set(a.clientId, a);
  for (const [k, v] of data.sessions) state.sessions.set(k, v);
  for (const [k, v] of data.refreshGrants) state.refreshGrants.set(k, v);
  for (const o of data.orgs) {
    const org: Org = {
      ...o,
      apiUsed: o.apiUsed ?? o.apiCalls.total,
      autoNumbers: o.autoNumbers ?? {},
      duplicateRules: Array.isArray(o.duplicateRules)
        ? o.duplicateRules
        : (['Contact', 'Lead'] as const).flatMap((obj) => {
            const action = (o.duplicateRules as Record<string, 'block' | 'alert' | undefined>)[obj];
            return action ? [emailRule(obj, action)] : [];
          }),
      deletedIds: new Set(),
      catalogue: buildCatalogue(o.namespace),
      faults: {},
      faultState: { rng: rng(1), callsSinceExpiry: 0, limitUntil: 0, concurrentLeft: 0 },
      records: new Map(o.records.map(([k, recs]) => [k, new Map(recs.map((r) => [r.Id, r]))])),
    };
    ensureOrgUser(org); // snapshots written before the User object was served have no User records
    state.orgs.set(o.orgId, org);
  }
  return true;
}
