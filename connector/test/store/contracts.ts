import type { Store } from '../../src/store/types';
import { mirrorContract } from './mirrorContract';
import { orgCapContract } from './orgCapContract';
import { pauseContract } from './pauseContract';
import { responseRecordsContract } from './responseRecordsContract';
import { retentionContract } from './retentionContract';
import { storeContract } from './storeContract';
import { turnContract } from './turnContract';
import { usageContract } from './usageContract';

/**
 * Every part of the Store contract, for one backend: `fresh` opens a migrated, empty store (one
 * per test); `sameDatabase` opens another store on the database `fresh` opened last (another
 * instance or process). A backend's test file calls this once, so none can miss a part.
 */
export function storeContracts(name: string, fresh: () => Promise<Store>, sameDatabase: () => Promise<Store>): void {
  storeContract(name, fresh);
  orgCapContract(name, fresh);
  pauseContract(name, fresh);
  retentionContract(name, fresh);
  mirrorContract(name, fresh);
  usageContract(name, fresh, sameDatabase);
  responseRecordsContract(name, fresh, sameDatabase);
  turnContract(name, fresh);
}
