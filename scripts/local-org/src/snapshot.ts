// Optional persistence: the whole state as one JSON file, written (atomically) shortly after a
// change and on close, loaded at start.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { buildCatalogue } from './schema';
import { rng, type State } from './state';

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

export function loadSnapshot(state: State, file: string): boolean {
  if (!existsSync(file)) return false;
  const data = JSON.parse(readFileSync(file, 'utf8'));
  if (data.version !== 1) return false;
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
    state.orgs.set(o.orgId, {
      ...o,
      catalogue: buildCatalogue(o.namespace),
      faults: {},
      faultState: { rng: rng(1), callsSinceExpiry: 0, limitUntil: 0 },
      records: new Map(
        (o.records as [string, { Id: string }[]][]).map(([k, recs]) => [k, new Map(recs.map((r) => [r.Id, r]))]),
      ),
    });
  }
  return true;
}
