import { randomBytes } from 'node:crypto';
import { envSchema, type Env } from './config';

/**
 * Validated configuration plus derived values, built once at start-up and passed down
 * (no module below `config/` reads `process.env`).
 */
export interface AppConfig {
  port: number;
  /** External base URL without a trailing slash. */
  publicUrl: string;
  databaseUrl: string;
  webhookSecrets: string[];
  adminToken: string;
  sfClientId: string;
  sfClientSecret: string;
  sfLoginUrl: string;
  sfApiVersion: string;
  sfNamespace: string;
  /** TOKEN_ENCRYPTION_KEY entries decoded: the first encrypts, all decrypt. */
  tokenKeys: Buffer[];
  allowedReturnOrigins: string[];
  /** True when started without any credential (SPEC §6 local mode). */
  localMode: boolean;
  logLevel: Env['LOG_LEVEL'];
  worker: WorkerConfig;
}

/** Worker tuning; defaults documented here (not part of SPEC §6's contract variables). */
export interface WorkerConfig {
  /** Responses claimed per account per batch (sync writes them in collections of 200). */
  batchSize: number;
  /** Accounts synced at the same time by one instance. */
  concurrency: number;
  /** A claim lasts this long unless renewed (the worker renews every third of it while a batch
   *  runs); a crashed instance's work is taken over once it lapses. */
  leaseMs: number;
  /** Periodic poll for due retries (new intake wakes the worker at once). */
  pollMs: number;
  /** A response retried for longer than this fails with its last error code. */
  maxAgeMs: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  /** Batches at once per org across all instances (SF_MAX_CONCURRENT_WRITES_PER_ORG). */
  maxBatchesPerOrg: number;
  /** Finished responses older than this many days are pruned; 0 keeps them (EVENT_RETENTION_DAYS). */
  retentionDays: number;
  /** Each org with failed responses is asked for Retry_Requested__c at most once per this
   *  interval, across all instances (RETRY_REQUEST_POLL_SECONDS, SPEC §6). */
  retryRequestPollMs: number;
  /** The bound of the streaming fill (WORKER_BATCH_FILL_MS): worker/streamingFill.ts. */
  batchFillMs: number;
}

export const DEFAULT_WORKER_CONFIG: WorkerConfig = {
  batchSize: 500,
  concurrency: 4,
  leaseMs: 10_000,
  pollMs: 1_000,
  maxAgeMs: 24 * 60 * 60_000,
  backoffBaseMs: 5_000,
  backoffCapMs: 15 * 60_000,
  maxBatchesPerOrg: 1,
  retentionDays: 30,
  retryRequestPollMs: 300_000,
  batchFillMs: 8_000,
};

/** The credentials whose absence (all of them) selects local mode. */
export const CREDENTIAL_VARS = [
  'CREDSPARK_WEBHOOK_SECRET',
  'CONNECTOR_ADMIN_TOKEN',
  'SF_CLIENT_ID',
  'SF_CLIENT_SECRET',
  'TOKEN_ENCRYPTION_KEY',
] as const;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

/**
 * Validates `env` (SPEC §6). Throws ConfigError with one line per missing or malformed variable.
 * Local mode (none of the credentials set) fills them with generated values; the SF client
 * credentials are then placeholders until local mode registers the embedded org's connected app.
 */
export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  // An empty string counts as "not set" (`FOO= npm start` is not a malformed value), except
  // SF_NAMESPACE, where empty is meaningful: an unpackaged dev org (SPEC §3).
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([k, v]) => v !== undefined && (v !== '' || k === 'SF_NAMESPACE')),
  );
  const parsed = envSchema.safeParse(cleaned);
  const problems: string[] = [];
  if (!parsed.success) {
    const named = new Set<string>();
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? 'environment');
      if (named.has(name)) continue; // one line per variable (SPEC §6)
      named.add(name);
      problems.push(`${name}: ${issue.message}`);
    }
  }
  const set = CREDENTIAL_VARS.filter((k) => cleaned[k] !== undefined);
  const localMode = set.length === 0;
  if (!localMode && set.length < CREDENTIAL_VARS.length) {
    for (const k of CREDENTIAL_VARS.filter((k) => cleaned[k] === undefined)) {
      problems.push(`${k}: is required (set all of ${CREDENTIAL_VARS.join(', ')}, or none of them for local mode)`);
    }
  }
  if (problems.length || !parsed.success) throw new ConfigError(dedupe(problems));
  const e = parsed.data;
  const port = e.PORT;
  return {
    port,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    databaseUrl: e.DATABASE_URL,
    webhookSecrets: e.CREDSPARK_WEBHOOK_SECRET ?? [randomBytes(24).toString('base64url')],
    adminToken: e.CONNECTOR_ADMIN_TOKEN ?? randomBytes(24).toString('base64url'),
    sfClientId: e.SF_CLIENT_ID ?? '',
    sfClientSecret: e.SF_CLIENT_SECRET ?? '',
    sfLoginUrl: e.SF_LOGIN_URL.replace(/\/+$/, ''),
    sfApiVersion: e.SF_API_VERSION,
    sfNamespace: e.SF_NAMESPACE,
    tokenKeys: (e.TOKEN_ENCRYPTION_KEY ?? [randomBytes(32).toString('base64')]).map((k) => Buffer.from(k, 'base64')),
    allowedReturnOrigins: e.ALLOWED_RETURN_ORIGINS ?? [],
    localMode,
    logLevel: e.LOG_LEVEL,
    worker: {
      ...DEFAULT_WORKER_CONFIG,
      concurrency: e.WORKER_CONCURRENCY,
      batchSize: e.WORKER_BATCH_SIZE,
      leaseMs: e.WORKER_LEASE_SECONDS * 1000,
      maxBatchesPerOrg: e.SF_MAX_CONCURRENT_WRITES_PER_ORG,
      retentionDays: e.EVENT_RETENTION_DAYS,
      retryRequestPollMs: e.RETRY_REQUEST_POLL_SECONDS * 1000,
      batchFillMs: e.WORKER_BATCH_FILL_MS,
    },
  };
}

function dedupe(lines: string[]): string[] {
  return [...new Set(lines)];
}
