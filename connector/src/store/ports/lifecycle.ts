/** Opening and closing a backend, and the readiness probe. */
export interface StoreLifecycle {
  /** Applies numbered migrations; idempotent. */
  migrate(): Promise<void>;
  /** Cheap round trip for /readyz; throws when the store is unreachable or unwritable. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
