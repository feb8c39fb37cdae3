import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Connection } from 'jsforce';
import type { Page } from 'playwright-core';
import { CHROMIUM, launchChromium, type Chromium } from '../src/browser';
import { connect } from '../src/orgClient';
import { startPreview, type Preview } from '../src/previewServer';

export const NS = 'credspark__';

/** POSTs to the preview's Apex stand-in for `Class.method`, like the LWC adapter does. */
export async function apexCall(
  preview: Preview,
  method: string,
  params: unknown = {},
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${preview.url}/preview-api/apex/${method}`, {
    method: 'POST',
    // A fresh connection per call: on a loaded machine a reused keep-alive socket can be closed by the
    // server's 5 s keep-alive timeout just as the next request goes out (ECONNRESET).
    headers: { 'content-type': 'application/json', connection: 'close' },
    body: JSON.stringify(params),
  });
  return { status: res.status, body: await res.json() };
}

/** The setup page's Apex (CredSparkSetupController.`method`). */
export const apex = (preview: Preview, method: string, params: unknown = {}) =>
  apexCall(preview, `CredSparkSetupController.${method}`, params);

/**
 * The hooks of a preview test: one preview (on its own local org) for the file and a jsforce
 * connection to that org, closed after the file; `set` hands them to the test's variables.
 */
export function usePreview(set: (t: { preview: Preview; conn: Connection }) => void): void {
  let preview: Preview | undefined;
  beforeAll(async () => {
    preview = await startPreview({ port: 0, quiet: true });
    set({ preview, conn: await connect(preview.org) });
  });
  afterAll(async () => preview?.close());
}

/** Where a browser test's screenshots go: docs/images with UPDATE_SCREENSHOTS=1, else a temporary
 *  folder (test runs leave the tree clean). */
export function screenshotDir(name: string): string {
  return process.env.UPDATE_SCREENSHOTS === '1'
    ? path.resolve(__dirname, '..', '..', '..', 'docs', 'images')
    : mkdtempSync(path.join(tmpdir(), `credspark-${name}-shots-`));
}

/** Headless Chromium (checked to be installed) with one page, at `viewport` when given. */
export async function launchPage(viewport?: {
  width: number;
  height: number;
}): Promise<{ browser: Chromium; page: Page }> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/ci/install-browser.sh`);
  const browser = await launchChromium();
  const page = await browser.context.newPage();
  if (viewport) await page.setViewportSize(viewport);
  return { browser, page };
}

/**
 * usePreview plus a browser page (launchPage) once the preview's bundle is ready; the browser is
 * closed before the preview.
 */
export function usePreviewInBrowser(
  set: (t: { preview: Preview; conn: Connection; page: Page }) => void,
  viewport?: { width: number; height: number },
): void {
  let browser: Chromium | undefined;
  // Declared before usePreview's: jest runs after-hooks in the order declared.
  afterAll(async () => browser?.close());
  let started: { preview: Preview; conn: Connection } | undefined;
  usePreview((t) => (started = t));
  beforeAll(async () => {
    await started!.preview.ready;
    const launched = await launchPage(viewport);
    browser = launched.browser;
    set({ ...started!, page: launched.page });
  });
}

/** Listens to the preview's platform event stream (what lightning/empApi receives in the page). */
export async function listen(preview: Preview): Promise<{ next(): Promise<any>; close(): void }> {
  const controller = new AbortController();
  const res = await fetch(`${preview.url}/preview-api/events`, { signal: controller.signal });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    async next() {
      for (;;) {
        const match = /^data: (.*)$/m.exec(buffer);
        const end = buffer.indexOf('\n\n');
        if (match && end >= 0) {
          buffer = buffer.slice(end + 2);
          if (match) return JSON.parse(match[1]);
        } else if (end >= 0) {
          buffer = buffer.slice(end + 2); // comment lines such as ": connected"
          continue;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('event stream ended');
        buffer += decoder.decode(value, { stream: true });
      }
    },
    close: () => controller.abort(),
  };
}

/** The rule and its live mappings as the connector reads them: SOQL over REST (SPEC §3). */
export async function ruleBySoql(conn: Connection, interactionDeveloperName: string) {
  const rules = await conn.query<any>(
    `SELECT Id, DeveloperName, ${NS}Enabled__c, ${NS}Target_Object__c, ${NS}Enabled_At__c, ${NS}Interaction__r.DeveloperName FROM ${NS}CredSpark_Sync_Rule__mdt`,
  );
  const rule = rules.records.find((r) => r[`${NS}Interaction__r`]?.DeveloperName === interactionDeveloperName);
  if (!rule) return undefined;
  const maps = await conn.query<any>(
    `SELECT DeveloperName, ${NS}Source_Field__c, ${NS}Target_Field__c, ${NS}Static_Value__c FROM ${NS}CredSpark_Field_Mapping__mdt WHERE ${NS}Sync_Rule__r.DeveloperName = '${rule.DeveloperName}'`,
  );
  return { rule, mappings: maps.records.filter((m) => m[`${NS}Target_Field__c`]) };
}
