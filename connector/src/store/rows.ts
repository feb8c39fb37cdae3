import type {
  ClaimedResponse,
  ConnectionRecord,
  InteractionCatalogueRecord,
  OAuthStateRecord,
  ResponseRecord,
  ResponseWarning,
} from './records';

/** Row → record mapping shared by the backends (snake_case columns; times as Date or epoch ms). */
export type Row = Record<string, unknown>;

const date = (v: unknown): Date => (v instanceof Date ? v : new Date(Number(v)));
const opt = <T>(v: unknown, f: (x: unknown) => T): T | undefined => (v == null ? undefined : f(v));

/** Leaves optional members out when NULL, so records compare equal across backends. */
function compact<T extends object>(rec: T, extra: Record<string, unknown>): T {
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) (rec as Row)[k] = v;
  return rec;
}

export function toResponse(row: Row): ResponseRecord {
  return compact<ResponseRecord>(
    {
      accountId: String(row.account_id),
      responseId: String(row.response_id),
      eventId: String(row.event_id),
      interactionId: String(row.interaction_id),
      completedAt: date(row.completed_at),
      status: row.status as ResponseRecord['status'],
      attempts: Number(row.attempts),
      nextAttemptAt: date(row.next_attempt_at),
      retryWindowStartedAt: date(row.window_started_at),
      createdAt: date(row.created_at),
      updatedAt: date(row.updated_at),
    },
    {
      object: opt(row.object, (v) => v as 'Contact' | 'Lead'),
      recordId: opt(row.record_id, String),
      action: opt(row.action, (v) => v as 'created' | 'updated'),
      errorCode: opt(row.error_code, String),
      errorMessage: opt(row.error_message, String),
      warnings: opt(row.warnings, (v) => readWarnings(String(v))),
    },
  );
}

/** A row the claim leased (with its event's body) as the worker gets it; `previousOwner`: whose
 *  lapsed lease it took over, if any. */
export function toClaimed(
  row: Row,
  owner: string,
  leaseExpiresAt: Date,
  previousOwner: string | null,
): ClaimedResponse {
  return {
    ...toResponse(row),
    body: String(row.body),
    leaseOwner: owner,
    leaseExpiresAt,
    ...(previousOwner ? { takenOverFrom: previousOwner } : {}),
  };
}

export function toConnection(row: Row): ConnectionRecord {
  return compact<ConnectionRecord>(
    {
      accountId: String(row.account_id),
      status: row.status as ConnectionRecord['status'],
      orgId: String(row.org_id),
      userId: String(row.user_id),
      username: String(row.username),
      instanceUrl: String(row.instance_url),
      loginUrl: String(row.login_url),
      accessTokenEnc: String(row.access_token_enc),
      refreshTokenEnc: String(row.refresh_token_enc),
      connectedAt: date(row.connected_at),
      updatedAt: date(row.updated_at),
    },
    { reason: opt(row.reason, String) },
  );
}

export function toOAuthState(row: Row): OAuthStateRecord {
  return compact<OAuthStateRecord>(
    {
      stateHash: String(row.state_hash),
      accountId: String(row.account_id),
      loginUrl: String(row.login_url),
      codeVerifierEnc: String(row.code_verifier_enc),
      expiresAt: date(row.expires_at),
    },
    { returnUrl: opt(row.return_url, String) },
  );
}

export function toInteraction(row: Row): InteractionCatalogueRecord {
  return compact<InteractionCatalogueRecord>(
    {
      accountId: String(row.account_id),
      interactionId: String(row.interaction_id),
      name: String(row.name),
      fieldsJson: String(row.fields_json),
      contentHash: String(row.content_hash),
      updatedAt: date(row.updated_at),
    },
    { mirroredHash: opt(row.mirrored_hash, String) },
  );
}

/**
 * Stored warnings: `[{code, message}]` since SPEC §5 named codes; rows written before that hold
 * plain strings, which stay readable with the code their wording implies.
 */
export function readWarnings(json: string): ResponseWarning[] {
  const parsed: unknown = JSON.parse(json);
  if (!Array.isArray(parsed)) return [];
  return parsed.flatMap((w: unknown): ResponseWarning[] => {
    if (typeof w === 'string') return [{ code: legacyWarningCode(w), message: w }];
    if (typeof w === 'object' && w !== null && typeof (w as ResponseWarning).message === 'string')
      return [{ code: String((w as ResponseWarning).code ?? 'WARNING'), message: (w as ResponseWarning).message }];
    return [];
  });
}

/** The two kinds of warnings older connectors wrote as text (sync/mapping.ts, sync/syncResponses.ts). */
function legacyWarningCode(message: string): string {
  if (/ truncated to \d+ characters$/.test(message)) return 'FIELD_TRUNCATED';
  if (/ is not (createable|updateable); left out of the /.test(message)) return 'FIELD_NOT_WRITTEN';
  return 'WARNING';
}
