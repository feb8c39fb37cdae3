// The local Salesforce org: one HTTP server holding several orgs, reached by unmodified jsforce.
import express from 'express';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { controlRouter } from './control';
import { oauthRouter } from './oauth/routes';
import { restRouter } from './rest/routes';
import { loadSnapshot, saveSnapshot } from './snapshot';
import { soapRouter } from './soap/routes';
import { DEMO_APP, State } from './state';

export interface LocalOrgOptions {
  port?: number;
  host?: string;
  autoApprove?: boolean;
  snapshotFile?: string;
  quiet?: boolean;
}

export interface LocalOrg {
  /** http://127.0.0.1:PORT — both the login URL and the instance URL. */
  url: string;
  close(): Promise<void>;
  demo: { orgId: string; username: string; clientId: string; clientSecret: string };
}

export async function startLocalOrg(opts: LocalOrgOptions = {}): Promise<LocalOrg> {
  const state = new State({ autoApprove: opts.autoApprove ?? false });
  const file = opts.snapshotFile;
  if (file) loadSnapshot(state, file);
  let timer: NodeJS.Timeout | undefined;
  if (file) {
    state.onChange = () => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        try {
          saveSnapshot(state, file);
        } catch {
          /* next change retries */
        }
      }, 100);
    };
  }
  let url = '';
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // Salesforce refuses request URIs over 16,384 bytes with 414 (REST API Developer Guide
  // "Status Codes and Error Responses"); long SOQL IN lists hit this before the SOQL limit.
  app.use((req, res, next) => {
    if (req.originalUrl.length > 16384) return void res.status(414).type('text/plain').send('URI Too Long');
    next();
  });
  app.use('/__local', controlRouter(state));
  app.use(oauthRouter(state, () => url));
  app.use(soapRouter(state));
  app.use(restRouter(state));
  app.use((_req, res) => {
    res.status(404).json([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
  });

  const host = opts.host ?? '127.0.0.1';
  const server: Server = await new Promise((resolve, reject) => {
    const s = createServer({ maxHeaderSize: 64 * 1024 }, app);
    s.once('error', reject);
    s.listen(opts.port ?? 0, host, () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (!opts.quiet) process.stdout.write(`local Salesforce org listening on ${url}\n`);
  const handle: LocalOrg = {
    url,
    get demo() {
      const d = state.org(state.demoOrgId)!;
      return { orgId: d.orgId, username: d.username, clientId: DEMO_APP.clientId, clientSecret: DEMO_APP.clientSecret };
    },
    async close() {
      if (timer) {
        clearTimeout(timer);
        timer = undefined;
      }
      if (file) saveSnapshot(state, file);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return handle;
}
