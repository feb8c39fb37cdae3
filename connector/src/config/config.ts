import { z } from 'zod';

/**
 * The connector's configuration (SPEC §6, contract). Read and validated once at start-up and
 * passed down: no other module reads `process.env`.
 */
// Node's base64 decoder skips characters it does not know, so the alphabet is checked first:
// a typo must not silently become a different key.
const base64Key32 = z
  .string()
  .refine(
    (v) => /^(?:[A-Za-z0-9+/]+={0,2}|[A-Za-z0-9_-]+={0,2})$/.test(v) && Buffer.from(v, 'base64').length === 32,
    'must be 32 bytes encoded as base64',
  );

/** A whole number written in decimal digits (`z.coerce` would take " ", "1e3" or "0x50"). */
const integer = (min: number, max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d+$/, `must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, `must be a whole number from ${min} to ${max}`)
        .max(max, `must be a whole number from ${min} to ${max}`),
    )
    .default(fallback);

/** An absolute http(s) URL (`z.string().url()` alone also takes `mailto:` or `javascript:`). */
const httpUrl = z
  .string()
  .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), 'must be an absolute http(s) URL');

const commaList = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

export const envSchema = z.object({
  /** HTTP port. */
  PORT: integer(0, 65535, 3000),
  /** The connector's external base URL; OAuth redirect_uri = PUBLIC_URL + /oauth/callback. */
  PUBLIC_URL: httpUrl.optional(),
  /** `sqlite:<path>` or `postgres://…`. */
  DATABASE_URL: z
    .string()
    .regex(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, 'must be sqlite:<path> or postgres://…')
    .default('sqlite:./data/connector.db'),
  /** Webhook signing secret(s), comma-separated (several during rotation). */
  CREDSPARK_WEBHOOK_SECRET: commaList.pipe(z.array(z.string().min(1)).min(1, 'needs at least one secret')).optional(),
  /** Bearer token of the admin API. */
  CONNECTOR_ADMIN_TOKEN: z
    .string()
    // `Authorization: Bearer <token>` carries no whitespace: such a token could never be presented.
    .regex(/^\S+$/, 'must not contain whitespace (it is sent as Authorization: Bearer <token>)')
    .optional(),
  /** The packaged connected app's consumer key and secret. */
  SF_CLIENT_ID: z.string().min(1).optional(),
  SF_CLIENT_SECRET: z.string().min(1).optional(),
  /** Default Salesforce login host: an origin, as connect's `loginUrl` must be (connections/urls.ts). */
  SF_LOGIN_URL: httpUrl
    .refine((v) => {
      if (!URL.canParse(v)) return true; // already reported by httpUrl: one line per variable
      const u = new URL(v);
      return !u.username && !u.password && (u.pathname === '/' || u.pathname === '') && !u.search && !u.hash;
    }, 'must be a login host only, such as https://login.salesforce.com (no path, query or user information)')
    .default('https://login.salesforce.com'),
  /** REST API version. */
  SF_API_VERSION: z
    .string()
    .regex(/^\d{2}\.0$/, 'must look like 62.0')
    .default('62.0'),
  /** Namespace of the package's custom metadata; empty for an unpackaged dev org. */
  SF_NAMESPACE: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9]{0,14}$|^$/, 'must be a Salesforce namespace prefix or empty')
    .default('credspark'),
  /** 32 bytes, base64: encrypts OAuth tokens at rest. Comma-separated: first encrypts, all decrypt (rotation). */
  TOKEN_ENCRYPTION_KEY: commaList.pipe(z.array(base64Key32).min(1)).optional(),
  /** Origins `returnUrl` may point to after connecting (comma-separated). */
  ALLOWED_RETURN_ORIGINS: commaList
    .pipe(
      z.array(
        httpUrl.refine(
          (v) => !URL.canParse(v) || new URL(v).origin === v.replace(/\/$/, ''),
          'must list origins only, such as https://app.credspark.com',
        ),
      ),
    )
    .optional(),
  /** Worker tuning (not in SPEC §6's contract list; defaults suit one instance). Accounts synced at once. */
  WORKER_CONCURRENCY: integer(1, 64, 4),
  /** Responses claimed per account per batch. */
  WORKER_BATCH_SIZE: integer(1, 5000, 500),
  /** A claim lasts this long unless renewed (every third of it while a batch runs); a crashed
   *  instance's work is taken over after it. 10 s: a kill -9 costs at most ~11 s of sync. */
  WORKER_LEASE_SECONDS: integer(1, 3600, 10),
  /** Streaming batches: the bound of the adaptive fill while an account streams (ms; 0: off).
   *  worker/streamingFill.ts says why 8 s. */
  WORKER_BATCH_FILL_MS: integer(0, 30_000, 8_000),
  /** Sync batches running at once per Salesforce org, across all instances (UNABLE_TO_LOCK_ROW guard). */
  SF_MAX_CONCURRENT_WRITES_PER_ORG: integer(1, 25, 1),
  /** Days finished responses and their events are kept; 0 keeps everything. */
  EVENT_RETENTION_DAYS: integer(0, 3650, 30),
  /** SPEC §6: how often the connector looks for Retry_Requested__c in orgs with failed responses
   *  (at most one query per org per interval, across all instances). */
  RETRY_REQUEST_POLL_SECONDS: integer(10, 86_400, 300),
  /** pino level. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Env = z.infer<typeof envSchema>;
