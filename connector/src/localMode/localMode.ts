import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { AppConfig } from '../config/appConfig';
import type { Logger } from '../observability/logger';
import type { Store } from '../store/types';
import { connectDemoAccount } from './connectDemo';
import { DEMO_ACCOUNT_ID, seedDemoRule } from './demoSeed';
import { loadStartLocalOrg, type LocalOrg } from './localOrgTypes';

export const LOCAL_DB_URL = 'sqlite:./data/local-mode.db';

export interface LocalModeHandle {
  /** The loaded config with the local org's client, login URL and database in place (a new
   *  object: the loaded one is left as it was read). */
  config: AppConfig;
  org: LocalOrg;
  /** Connects the demo account through the real OAuth path, seeds the demo rule, prints how to try it. */
  afterListen(ctx: { store: Store; port: number }): Promise<void>;
  close(): Promise<void>;
}

/**
 * SPEC §6 local mode: no credentials set → an embedded local Salesforce org, SQLite, generated
 * secrets and a connected demo account. The local org lives in memory, so its database starts
 * fresh every run (old tokens would point at an org that no longer exists). The generated secrets
 * are written to data/local-mode.json so `npm run send-webhook` can sign without flags.
 */
export async function startLocalMode(loaded: AppConfig, log: Logger): Promise<LocalModeHandle> {
  const org = await loadStartLocalOrg()({ port: 0, host: '127.0.0.1', autoApprove: true, quiet: true });
  const config: AppConfig = {
    ...loaded,
    sfClientId: org.demo.clientId,
    sfClientSecret: org.demo.clientSecret,
    sfLoginUrl: org.url,
    databaseUrl: loaded.databaseUrl === 'sqlite:./data/connector.db' ? LOCAL_DB_URL : loaded.databaseUrl,
  };
  if (config.databaseUrl === LOCAL_DB_URL) {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`./data/local-mode.db${suffix}`, { force: true });
  }
  log.warn(
    { localOrgUrl: org.url },
    'LOCAL MODE: no credentials configured; using an embedded local Salesforce org and generated secrets',
  );

  return {
    config,
    org,
    async afterListen({ port }) {
      const connectorUrl = `http://127.0.0.1:${port}`;
      await connectDemoAccount({
        connectorUrl,
        adminToken: config.adminToken,
        accountId: DEMO_ACCOUNT_ID,
        loginUrl: org.url,
      });
      await seedDemoRule(org.url, org.demo.orgId, config.sfNamespace, new Date(Date.now() - 60_000));
      const dataDir = config.databaseUrl.startsWith('sqlite:')
        ? dirname(resolve(config.databaseUrl.slice(7)))
        : resolve('data');
      const infoFile = join(dataDir, 'local-mode.json');
      const info = {
        connectorUrl,
        webhookSecret: config.webhookSecrets[0],
        adminToken: config.adminToken,
        accountId: DEMO_ACCOUNT_ID,
        orgUrl: org.url,
        orgId: org.demo.orgId,
      };
      writeFileSync(infoFile, JSON.stringify(info, null, 2), { mode: 0o600 });
      console.log(banner(info, infoFile));
    },
    close: () => org.close(),
  };
}

function banner(
  i: {
    connectorUrl: string;
    webhookSecret: string;
    adminToken: string;
    accountId: string;
    orgUrl: string;
    orgId: string;
  },
  infoFile: string,
): string {
  const line = '='.repeat(78);
  return [
    '',
    line,
    '  CredSpark connector — LOCAL MODE (no credentials set; nothing here talks to real Salesforce)',
    line,
    `  Connector           ${i.connectorUrl}`,
    `  Local Salesforce    ${i.orgUrl}   (org ${i.orgId}, user admin@acme.local)`,
    `  Demo account        ${i.accountId}  — connected through the OAuth flow`,
    `  Demo rule           "Q4 Webinar Quiz" → Contact, mappings first_name/last_name/email`,
    `  Webhook secret      ${i.webhookSecret}   (generated for this run)`,
    `  Admin token         ${i.adminToken}   (generated for this run)`,
    `  Saved to            ${infoFile}`,
    '',
    '  1. Send a signed sample webhook (in another terminal, at the repository root):',
    `     npm run send-webhook -- --url ${i.connectorUrl} --secret ${i.webhookSecret} --account ${i.accountId} --email jane@example.com --first-name Jane --last-name Smith`,
    '',
    '  2. See the Contact it created in the local org:',
    `     curl -s ${i.orgUrl}/__local/orgs/${i.orgId}/records/Contact`,
    '',
    '  3. Ask the connector about the response (id printed by send-webhook):',
    `     curl -s -H "Authorization: Bearer ${i.adminToken}" ${i.connectorUrl}/api/accounts/${i.accountId}/responses/<responseId>`,
    line,
    '',
  ].join('\n');
}
