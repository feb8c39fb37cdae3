// Preview-only @salesforce/apex: refreshApex re-runs the wired Apex call whose result it is given.
import { wiredResults } from './apexClient';

export function refreshApex(wiredResult) {
  const adapter = wiredResults.get(wiredResult);
  return adapter ? adapter.fetch() : Promise.resolve();
}
