import express, { type RequestHandler } from 'express';
import { z } from 'zod';
import { AppError, notFound } from '../http/errors';
import type { OrgSettings, OrgSettingsCache } from '../orgSettings/orgSettings';
import type { ConnectionStore, UsageStore } from '../store/types';
import { HOLD_REASONS, utcDay, type HoldReason } from '../store/ports/usage';

const params = z.object({ accountId: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/) });

/**
 * SPEC §5 (contract): `GET /api/accounts/{accountId}/usage` →
 * `{ day, apiCalls, budget, orgApiUsed, orgApiMax, waitingFor? }` — the connector's calls for the
 * account's org this UTC day (counted in the store by every instance), the admin's cap (null when
 * none; read from the org here when no instance has read it yet), the org's own usage as Salesforce last reported it (Sforce-Limit-Info;
 * null when no answer was seen), and `waitingFor` while the org's responses are held.
 * An account that never connected has no org: 404.
 */
export function usageRoutes(deps: {
  store: Pick<ConnectionStore, 'getConnection'> & UsageStore;
  requireAdmin: RequestHandler;
  settings?: OrgSettingsCache;
  /** Reads the org's settings when no instance has yet (one counted API call); undefined on failure. */
  readSettings?: (accountId: string) => Promise<OrgSettings | undefined>;
  namespace: string;
  now?: () => Date;
}): express.Router {
  const router = express.Router();
  const now = deps.now ?? (() => new Date());
  router.get('/api/accounts/:accountId/usage', deps.requireAdmin, async (req, res) => {
    const parsed = params.safeParse(req.params);
    if (!parsed.success)
      throw new AppError(400, 'INVALID_PARAMETER', 'accountId must be 1–64 letters, digits, _ . : or -');
    const { accountId } = parsed.data;
    const connection = await deps.store.getConnection(accountId);
    if (!connection) throw notFound('This account has never connected a Salesforce org');
    const at = now();
    const day = utcDay(at);
    const usage = deps.store;
    // The newest cap any instance read (recorded in the store); this instance's cache otherwise;
    // else read now (an account that has not synced yet: the admin just set the cap), so `null`
    // means "no cap", not "not read yet" — unless Salesforce could not be asked. Read first, so the
    // day's count below includes that call.
    const stored = await usage.budget(connection.orgId);
    const settings = stored
      ? undefined
      : (deps.settings?.peek(connection.orgId, deps.namespace) ?? (await deps.readSettings?.(accountId)));
    const budget = stored ? stored.budget : (settings?.dailyApiBudget ?? null);
    const [dayUsage, report, wait] = await Promise.all([
      usage.dayUsage(connection.orgId, day),
      usage.orgReport(connection.orgId),
      usage.accountWait(accountId, at),
    ]);
    const reason = wait.org?.reason;
    const waitingFor: HoldReason | undefined = reason && HOLD_REASONS.includes(reason) ? reason : undefined;
    res.json({
      day,
      apiCalls: dayUsage.apiCalls,
      budget,
      orgApiUsed: report?.used ?? null,
      orgApiMax: report?.max ?? null,
      ...(waitingFor ? { waitingFor } : {}),
    });
  });
  return router;
}
