/** The embedded local org's API (package @credspark/local-org), as local mode uses it. */
export interface LocalOrg {
  url: string;
  close(): Promise<void>;
  demo: { orgId: string; username: string; clientId: string; clientSecret: string };
}
export type StartLocalOrg = (opts?: {
  port?: number;
  host?: string;
  autoApprove?: boolean;
  snapshotFile?: string;
  quiet?: boolean;
}) => Promise<LocalOrg>;

/** Resolved at run time: local mode is the only production path that needs the local org. */
export function loadStartLocalOrg(): StartLocalOrg {
  // The local org ships as TypeScript (a test and local-mode tool): compiled JavaScript cannot load it.
  if (__filename.endsWith('.js')) {
    throw new Error(
      'local mode (no credentials set) runs from the TypeScript sources: start it with `npm start`; `npm run start:prod` needs the credentials (README, Configuration)',
    );
  }
  // A run-time require, not an import: @credspark/local-org is not a dependency of the connector
  // package, so the connector must not compile against it; the export is checked before use.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- see the comment above
  const mod = require('@credspark/local-org') as { startLocalOrg?: StartLocalOrg };
  if (typeof mod.startLocalOrg !== 'function') throw new Error('@credspark/local-org does not export startLocalOrg');
  return mod.startLocalOrg;
}
