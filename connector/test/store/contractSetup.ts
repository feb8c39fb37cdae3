import type { ConnectionRecord, ResponseOutcome, Store, StoredEventInput } from '../../src/store/types';
import { storedEvent } from '../fixtures/events';

/**
 * What every store contract (storeContract.ts and its parts, run by sqlite.test.ts and
 * postgres.test.ts) opens and seeds the same way: one store per test, the contracts' clock, a
 * connection row and a received response. Written once so the backends' suites cannot drift.
 */

/** The contracts' clock: the moment their scenarios start. */
export const t0 = new Date('2026-11-28T19:00:00.000Z');
/** `ms` milliseconds after t0. */
export const at = (ms: number): Date => new Date(t0.getTime() + ms);

/** The outcome of a response synced to a new Contact. */
export const synced = {
  status: 'synced',
  object: 'Contact',
  recordId: '003x',
  action: 'created',
} as const satisfies ResponseOutcome;

/** Every migration, each applied once (schema_migrations after a migrate). */
export const appliedMigrations = Array.from({ length: 8 }, (_, i) => ({ version: i + 1 }));

/**
 * A fresh store (`factory`: migrated, empty) before each test of the enclosing describe, closed
 * after it. `onOpen` hands the store to the suite; it may open more stores on the same database
 * (other instances), which it returns so they are closed first.
 */
export function storePerTest(
  factory: () => Promise<Store>,
  onOpen: (store: Store) => void | Store[] | Promise<void | Store[]>,
): void {
  let opened: Store[] = [];
  beforeEach(async () => {
    const store = await factory();
    opened = [store];
    const others = await onOpen(store);
    if (others) opened.unshift(...others);
  });
  afterEach(async () => {
    for (const s of opened) await s.close();
    opened = [];
  });
}

/**
 * A method every backend implements though the Store type leaves it optional (a port some test
 * doubles omit), bound to `store`; a backend without it fails the contract here.
 */
export function implemented<K extends keyof Store>(store: Store, method: K): NonNullable<Store[K]> {
  const fn: unknown = store[method];
  if (typeof fn !== 'function') throw new Error(`every backend implements ${String(method)}`);
  return fn.bind(store) as NonNullable<Store[K]>;
}

/** The row a connected account's OAuth callback stores, connected at t0; `over` varies it. */
export const connection = (
  accountId: string,
  orgId: string,
  over: Partial<ConnectionRecord> = {},
): ConnectionRecord => ({
  accountId,
  status: 'connected',
  orgId,
  userId: '0051',
  username: 'admin@acme.local',
  instanceUrl: 'http://127.0.0.1:1',
  loginUrl: 'http://127.0.0.1:1',
  accessTokenEnc: 'a',
  refreshTokenEnc: 'r',
  connectedAt: t0,
  updatedAt: t0,
  ...over,
});

/** Response `rsp_<n>` of `accountId`, received at `receivedAt` and completed `n` ms after t0. */
export const receivedResponse = (n: number, accountId = 'acc_1', receivedAt = t0): StoredEventInput =>
  storedEvent(n, { accountId, receivedAt, completedAt: at(n) });
