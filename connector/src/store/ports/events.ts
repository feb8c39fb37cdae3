import type { InsertEventResult, StoredEventInput } from '../records';

/** Intake: webhook deliveries, stored once per event id with their response row. */
export interface EventStore {
  /** Durably stores the event (and its response row) once; resolves only after commit. */
  insertEvent(event: StoredEventInput): Promise<InsertEventResult>;
  /** Whether an event with this id is stored (a redelivery), whatever became of the account since. */
  hasEvent(eventId: string): Promise<boolean>;
}
