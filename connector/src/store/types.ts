/**
 * The connector's durable store, split into ports by role. Every port is implemented by both
 * backends (store/sqlite, store/postgres) and has no optional method; consumers take the narrowest
 * port they use, wiring passes the whole `Store`. Terms: docs/architecture.md, "Glossary".
 *
 * Adding a port (e.g. API usage/budget, retry requests): an interface in `ports/<role>.ts` with
 * required methods only, added to `Store` below; its SQL and a numbered migration in both backends;
 * a contract suite in `test/store/<role>Contract.ts` run by sqlite.test.ts and postgres.test.ts.
 */
import type { ConnectionStore } from './ports/connections';
import type { EventStore } from './ports/events';
import type { StoreLifecycle } from './ports/lifecycle';
import type { MirrorStore } from './ports/mirror';
import type { PauseStore } from './ports/pauses';
import type { QueueStore } from './ports/queue';
import type { ResponseRecordStore } from './ports/responseRecords';
import type { RetentionStore } from './ports/retention';
import type { UsageStore } from './ports/usage';

export * from './records';
export type {
  ConnectionStore,
  EventStore,
  MirrorStore,
  PauseStore,
  QueueStore,
  ResponseRecordStore,
  RetentionStore,
  StoreLifecycle,
  UsageStore,
};

export type Store = StoreLifecycle &
  EventStore &
  QueueStore &
  PauseStore &
  ConnectionStore &
  MirrorStore &
  RetentionStore &
  ResponseRecordStore &
  UsageStore;
