import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { OrgSettingsCache } from '../orgSettings/orgSettings';
import type { UsageStore } from '../store/ports/usage';
import { CallMeter } from './callMeter';
import { OrgEconomy } from './orgEconomy';

/** The API economy of one connector: its settings cache, call meter and org policy, built together. */
export interface Economy {
  settings: OrgSettingsCache;
  meter: CallMeter;
  org: OrgEconomy;
}

export function createEconomy(deps: {
  usage: UsageStore;
  namespace: string;
  metrics: Metrics;
  log: Logger;
  clock?: () => Date;
  settingsTtlMs?: number;
}): Economy {
  const clock = deps.clock;
  const settings = new OrgSettingsCache({
    ttlMs: deps.settingsTtlMs,
    clock: clock ? () => clock().getTime() : undefined,
  });
  const meter = new CallMeter({ ...deps, settings });
  const org = new OrgEconomy({ meter, settings, usage: deps.usage, clock });
  return { settings, meter, org };
}
