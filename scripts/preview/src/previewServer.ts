// The preview server: the compiled package page, SLDS assets, and the small preview API that
// stands in for Apex, the UI API and the platform event stream, all backed by the local org.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { startLocalOrg, type LocalOrg } from '@credspark/local-org';
import { buildBundle, ROOT } from './bundle';
import { connect, findDemoOrg, type OrgTarget } from './orgClient';
import { PAGE } from './page';
import { seedDemo } from './seed';
import { seedSyncHealth } from './seedHealth';
import { RuleInput, SafeError, SetupApi } from './setupApi';
import { CampaignApi } from './campaignApi';
import { HealthApi, SettingsInput } from './healthApi';
import { UiApi } from './uiApi';

export interface PreviewOptions {
  port?: number;
  host?: string;
  orgUrl?: string;
  quiet?: boolean;
}
export interface Preview {
  url: string;
  org: OrgTarget;
  seeded: boolean;
  ready: Promise<void>;
  close(): Promise<void>;
}

const SLDS = path.join(ROOT, 'node_modules', '@salesforce-ux', 'design-system', 'assets');
const TYPES: Record<string, string> = {
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.jpg': 'image/jpeg',
};
const CHANNEL = '/event/CredSpark_Deployment__e';
const MAX_BODY = 64 * 1024;

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new SafeError('Request too large.');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    throw new SafeError('Malformed JSON.');
  }
}

/** Starts (or connects to, with orgUrl) a local org, seeds the demo, serves the preview. */
export async function startPreview(opts: PreviewOptions = {}): Promise<Preview> {
  let localOrg: LocalOrg | undefined;
  const orgUrl = opts.orgUrl ?? (localOrg = await startLocalOrg({ quiet: true })).url;
  const target = await findDemoOrg(orgUrl);
  const seeded = await seedDemo(target);
  if (seeded) await seedSyncHealth(target);
  const conn = await connect(target);
  const setup = new SetupApi(conn, target.namespace);
  const ui = new UiApi(conn);
  const health = new HealthApi(conn, target.namespace);
  const campaigns = new CampaignApi(conn);
  const streams = new Set<ServerResponse>();
  let replayId = 0;
  const publish = (payload: Record<string, unknown>) => {
    const event = { channel: CHANNEL, data: { schema: 'preview', event: { replayId: ++replayId }, payload } };
    for (const s of streams) s.write(`data: ${JSON.stringify(event)}\n\n`);
  };
  /** What CredSparkDeployCallback does once a deployment finished: publishes CredSpark_Deployment__e. */
  const publishWhenDeployed = (jobId: string, deployed: Promise<{ success: boolean; message: string }>) =>
    void deployed.then((o) =>
      publish({
        Job_Id__c: jobId,
        Success__c: o.success,
        Message__c: o.message,
        CreatedDate: new Date().toISOString(),
      }),
    );

  let bundle: Promise<Map<string, string>> | undefined;
  const getBundle = () => (bundle ??= buildBundle());
  const ready = getBundle().then(() => undefined);
  ready.catch(() => undefined); // reported when /app.js is asked for

  async function apex(method: string, body: unknown) {
    if (method === 'getSetup') return setup.getSetup();
    if (method === 'getInteractionDetails') {
      const developerName = (body as { developerName?: unknown })?.developerName;
      if (typeof developerName !== 'string') throw new SafeError('Choose an interaction.');
      return setup.getInteractionDetails(developerName);
    }
    if (method === 'saveSyncRule') {
      const parsed = RuleInput.safeParse((body as { input?: unknown })?.input);
      if (!parsed.success) throw new SafeError('The sync rule is not valid.');
      const { jobId, deployed } = await setup.saveSyncRule(parsed.data);
      publishWhenDeployed(jobId, deployed);
      return jobId;
    }
    return undefined;
  }

  /** The Sync health, settings, campaign and record-page Apex classes. */
  const healthApex: Record<string, (body: Record<string, unknown>) => Promise<unknown>> = {
    'CredSparkSyncHealthController.getSyncHealth': () => health.getSyncHealth(),
    'CredSparkSyncHealthController.requestRetry': (b) => health.requestRetry(b.responseRecordId),
    'CredSparkSyncHealthController.requestRetryForCode': (b) => health.requestRetryForCode(b.errorCode),
    'CredSparkPersonResponsesController.getResponses': (b) => health.getResponses(b.recordId),
    'CredSparkCampaignLookup.searchCampaigns': (b) => campaigns.searchCampaigns(b.searchTerm),
    'CredSparkCampaignLookup.getCampaign': (b) => campaigns.getCampaign(b.campaignId),
    'CredSparkSettingsController.saveSettings': async (b) => {
      const parsed = SettingsInput.safeParse(b.input);
      if (!parsed.success) throw new SafeError('The settings are not valid.');
      const { jobId, deployed } = health.saveSettings(parsed.data);
      publishWhenDeployed(jobId, deployed);
      return jobId;
    },
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://preview.local');
    const p = url.pathname;
    if (req.method === 'GET' && (p === '/' || p === '/index.html')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      return void res.end(PAGE);
    }
    if (req.method === 'GET' && p === '/favicon.ico') return void res.writeHead(204).end();
    const chunk = /^\/([A-Za-z0-9_-]+\.js)$/.exec(p);
    if (req.method === 'GET' && chunk) {
      const code = (await getBundle()).get(chunk[1]);
      if (code === undefined) return void json(res, 404, { message: 'Not found' });
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
      return void res.end(code);
    }
    if (req.method === 'GET' && p.startsWith('/slds/')) {
      const file = path.resolve(SLDS, '.' + decodeURIComponent(p.slice('/slds'.length)));
      if (!file.startsWith(SLDS + path.sep) || !existsSync(file) || !statSync(file).isFile())
        return void json(res, 404, { message: 'Not found' });
      res.writeHead(200, {
        'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'cache-control': 'max-age=3600',
      });
      return void createReadStream(file).pipe(res);
    }
    if (req.method === 'GET' && p === '/preview-api/events') {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      res.write(': connected\n\n');
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    const apexMatch =
      /^\/preview-api\/apex\/CredSparkSetupController\.(getSetup|getInteractionDetails|saveSyncRule)$/.exec(p);
    if (req.method === 'POST' && apexMatch) {
      const body = await readJson(req);
      return void json(res, 200, { result: await apex(apexMatch[1], body) });
    }
    const healthMatch = /^\/preview-api\/apex\/(\w+\.\w+)$/.exec(p);
    if (req.method === 'POST' && healthMatch && healthApex[healthMatch[1]]) {
      const body = (await readJson(req)) as Record<string, unknown>;
      return void json(res, 200, { result: (await healthApex[healthMatch[1]](body ?? {})) ?? null });
    }
    const info = /^\/preview-api\/ui-api\/object-info\/([A-Za-z]+)$/.exec(p);
    if (req.method === 'GET' && info) return void json(res, 200, await ui.objectInfo(info[1]));
    const pick =
      /^\/preview-api\/ui-api\/object-info\/([A-Za-z]+)\/picklist-values\/[A-Za-z0-9]{15,18}\/([A-Za-z0-9_]+)$/.exec(p);
    if (req.method === 'GET' && pick) return void json(res, 200, await ui.picklistValues(pick[1], pick[2]));
    json(res, 404, { message: 'Not found' });
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const status = (err as { status?: number }).status;
      // Apex answers AuraHandledException messages as is; anything else stays generic (no internals).
      const message =
        err instanceof SafeError
          ? err.message
          : status === 404
            ? 'Not found'
            : 'The preview could not answer. See the server log.';
      if (!(err instanceof SafeError) && status !== 404 && !opts.quiet)
        process.stderr.write(`preview: ${(err as Error).message}\n`);
      if (!res.headersSent) json(res, err instanceof SafeError ? 400 : (status ?? 500), { message });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 4600, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    org: target,
    seeded,
    ready,
    async close() {
      for (const s of streams) s.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (localOrg) await localOrg.close();
    },
  };
}
