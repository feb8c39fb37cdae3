// Control endpoints for tests and demos, outside Salesforce's paths (see README). No auth: the
// server binds 127.0.0.1 by default.
import express from 'express';
import { z } from 'zod';
import { applyCreate, coerce } from './dml';
import { randomToken } from './ids';
import { lookupObject } from './soql/evaluate';
import { rng, type Rec, type State } from './state';
import { textOf } from './text';
import { featureControls } from './controlFeatures';

const OrgBody = z.object({
  name: z.string().min(1).max(80).optional(),
  namespace: z
    .string()
    .regex(/^[A-Za-z0-9_]{0,15}$/)
    .optional(),
  dailyApiLimit: z.number().int().positive().optional(),
  username: z.string().min(3).max(80).optional(),
});
const AppBody = z.object({
  name: z.string().min(1).max(80),
  callbackUrls: z.array(z.string().min(1)).min(1),
  clientId: z.string().min(8).optional(),
  clientSecret: z.string().min(8).optional(),
});
const Faults = z
  .object({
    latencyMs: z.number().int().min(0).max(60000).optional(),
    http503Rate: z.number().min(0).max(1).optional(),
    htmlErrorPages: z.boolean().optional(),
    lockRowRate: z.number().min(0).max(1).optional(),
    expireSessionEvery: z.number().int().min(0).optional(),
    requestLimitExceededForMs: z.number().int().min(0).optional(),
    concurrentLimitExceededNext: z.number().int().min(0).optional(),
    seed: z.number().int().optional(),
  })
  .strict();
const Settings = z.object({ autoApprove: z.boolean().optional() });

export function controlRouter(state: State): express.Router {
  const r = express.Router();
  r.use(express.json({ limit: '20mb' }));
  const bad = (res: express.Response, msg: string, status = 400) => res.status(status).json({ error: msg });
  const orgOr404 = (req: express.Request, res: express.Response) => {
    const org = state.org(String(req.params.orgId));
    if (!org) bad(res, 'unknown org', 404);
    return org;
  };

  r.post('/reset', (_req, res) => {
    state.reset();
    state.onChange();
    res.json({ ok: true });
  });
  r.post('/settings', (req, res) => {
    const p = Settings.safeParse(req.body ?? {});
    if (!p.success) return void bad(res, p.error.message);
    if (p.data.autoApprove !== undefined) state.autoApprove = p.data.autoApprove;
    res.json({ autoApprove: state.autoApprove });
  });
  r.post('/orgs', (req, res) => {
    const p = OrgBody.safeParse(req.body ?? {});
    if (!p.success) return void bad(res, p.error.message);
    if (
      p.data.username &&
      [...state.orgs.values()].some((o) => o.username.toLowerCase() === p.data.username!.toLowerCase())
    )
      return void bad(res, 'username already taken', 409);
    const org = state.createOrg(p.data);
    res.status(201).json({ orgId: org.orgId, username: org.username, userId: org.userId });
  });
  r.get('/orgs', (_req, res) => {
    res.json({
      orgs: [...state.orgs.values()].map((o) => ({
        orgId: o.orgId,
        name: o.name,
        namespace: o.namespace,
        username: o.username,
        userId: o.userId,
        dailyApiLimit: o.dailyApiLimit,
        apiUsed: o.apiUsed,
        apiCalls: o.apiCalls.total,
      })),
    });
  });
  r.post('/connected-apps', (req, res) => {
    const p = AppBody.safeParse(req.body ?? {});
    if (!p.success) return void bad(res, p.error.message);
    const clientId = p.data.clientId ?? `3MVG9${randomToken(80)}`;
    const clientSecret = p.data.clientSecret ?? randomToken(64);
    state.apps.set(clientId, { name: p.data.name, callbackUrls: p.data.callbackUrls, clientId, clientSecret });
    state.onChange();
    res.status(201).json({ clientId, clientSecret });
  });
  r.post('/orgs/:orgId/records/:sobject', (req, res) => {
    const org = orgOr404(req, res);
    if (!org) return;
    const prefix = org.namespace ? org.namespace + '__' : '';
    // Seeds may name the package's objects with or without the namespace prefix.
    const obj = lookupObject(org, req.params.sobject) ?? lookupObject(org, prefix + req.params.sobject);
    if (!obj) return void bad(res, `unknown sobject ${req.params.sobject}`);
    if (!Array.isArray(req.body)) return void bad(res, 'body must be an array of records');
    try {
      const planned = (req.body as Record<string, unknown>[]).map((raw) => {
        const values: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(raw ?? {})) {
          // Seeds may name namespaced fields with or without the prefix.
          const f = obj.byLower.get(k.toLowerCase()) ?? obj.byLower.get((prefix + k).toLowerCase());
          if (!f) throw new Error(`unknown field ${k} on ${obj.name}`);
          values[f.name] = f.type === 'reference' ? (v === null ? null : textOf(v)) : coerce(f, v);
        }
        if (obj.isMetadata) {
          if (typeof values.DeveloperName !== 'string')
            throw new Error('DeveloperName is required for custom metadata');
          values.MasterLabel ??= values.DeveloperName;
          values.Label ??= values.MasterLabel;
          values.QualifiedApiName ??= values.DeveloperName;
          values.Language ??= 'en_US';
          for (const f of obj.fields) if (f.type === 'boolean' && values[f.name] === undefined) values[f.name] = false;
        }
        return values;
      });
      const ids = planned.map((v) => applyCreate(state, org, obj, v, true).Id);
      res.status(201).json({ ids });
    } catch (e) {
      bad(res, (e as Error).message);
    }
  });
  r.get('/orgs/:orgId/records/:sobject', (req, res) => {
    const org = orgOr404(req, res);
    if (!org) return;
    const prefix = org.namespace ? org.namespace + '__' : '';
    const obj = lookupObject(org, req.params.sobject) ?? lookupObject(org, prefix + req.params.sobject);
    if (!obj) return void bad(res, `unknown sobject ${req.params.sobject}`);
    res.json({ records: [...state.table(org, obj).values()].map((r: Rec) => ({ ...r })) });
  });
  r.get('/orgs/:orgId/api-calls', (req, res) => {
    const org = orgOr404(req, res);
    if (org) res.json({ total: org.apiCalls.total, byKind: { ...org.apiCalls.byKind } });
  });
  r.post('/orgs/:orgId/api-calls/reset', (req, res) => {
    const org = orgOr404(req, res);
    if (!org) return;
    org.apiCalls = { total: 0, byKind: {} };
    res.json({ total: 0, byKind: {} });
  });
  r.post('/orgs/:orgId/faults', (req, res) => {
    const org = orgOr404(req, res);
    if (!org) return;
    const p = Faults.safeParse(req.body ?? {});
    if (!p.success) return void bad(res, p.error.message);
    org.faults = p.data;
    org.faultState = {
      rng: rng(p.data.seed ?? 1),
      callsSinceExpiry: 0,
      limitUntil: p.data.requestLimitExceededForMs ? Date.now() + p.data.requestLimitExceededForMs : 0,
      concurrentLeft: p.data.concurrentLimitExceededNext ?? 0,
    };
    res.json({ faults: org.faults });
  });
  r.post('/orgs/:orgId/revoke', (req, res) => {
    const org = orgOr404(req, res);
    if (!org) return;
    for (const [t, s] of state.sessions) if (s.orgId === org.orgId) state.sessions.delete(t);
    for (const [t, g] of state.refreshGrants) if (g.orgId === org.orgId) state.refreshGrants.delete(t);
    state.onChange();
    res.json({ ok: true });
  });
  r.post('/orgs/:orgId/expire-sessions', (req, res) => {
    const org = orgOr404(req, res);
    if (!org) return;
    for (const s of state.sessions.values()) if (s.orgId === org.orgId) s.expired = true;
    state.onChange();
    res.json({ ok: true });
  });
  featureControls(r, state, orgOr404, bad);
  return r;
}
