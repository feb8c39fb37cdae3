import type { LocalOrg } from '@credspark/local-org';
import type { Connection } from 'jsforce';
import { describeObject } from '../../src/sync/describe';
import { createSyncEngine } from '../../src/sync/syncResponses';
import { TtlCache } from '../../src/cache/ttlCache';
import { apiCalls, connectDemo, resetApiCalls, resetOrg, syncContext, useLocalOrg } from './helpers';

/**
 * Per-org memory is bounded (docs/architecture.md, "Fairness across tenants"): the settings and
 * describe caches keep at most their number of entries, least recently used dropped first, and
 * jsforce keeps no raw describe of its own inside the Connection.
 */
describe('TtlCache bound', () => {
  const load = (calls: string[], key: string) => () => {
    calls.push(key);
    return Promise.resolve(`value of ${key}`);
  };

  it('keeps at most maxEntries values, dropping the least recently used first', async () => {
    const cache = new TtlCache<string>(60_000, 3);
    const calls: string[] = [];
    for (const k of ['a', 'b', 'c']) await cache.get(k, 0, load(calls, k));
    expect(await cache.get('a', 1, load(calls, 'a'))).toBe('value of a'); // a hit: a is now the most recent
    await cache.get('d', 2, load(calls, 'd')); // over the bound: b (least recently used) goes
    expect(cache.size).toBe(3);
    await cache.get('a', 3, load(calls, 'a'));
    await cache.get('c', 3, load(calls, 'c'));
    await cache.get('d', 3, load(calls, 'd'));
    expect(calls).toEqual(['a', 'b', 'c', 'd']); // a, c, d still cached
    await cache.get('b', 4, load(calls, 'b')); // b was dropped: loaded again
    expect(calls).toEqual(['a', 'b', 'c', 'd', 'b']);
    expect(cache.size).toBe(3);
  });

  it('1,000 orgs through a cache of 100 hold 100 values, whatever their lifetime', async () => {
    const cache = new TtlCache<string>(3_600_000, 100);
    const calls: string[] = [];
    for (let i = 0; i < 1000; i++) await cache.get(`00D${i}|Contact`, i, load(calls, String(i)));
    expect(cache.size).toBe(100);
    expect(calls).toHaveLength(1000);
  });

  it('still reloads after the lifetime, and shares one load between concurrent callers', async () => {
    const cache = new TtlCache<string>(1000, 10);
    const calls: string[] = [];
    await Promise.all([cache.get('a', 0, load(calls, 'a')), cache.get('a', 0, load(calls, 'a'))]);
    await cache.get('a', 999, load(calls, 'a'));
    await cache.get('a', 1000, load(calls, 'a'));
    expect(calls).toEqual(['a', 'a']);
  });
});

describe('describe against the local org', () => {
  let org: LocalOrg;
  let conn: Connection;
  useLocalOrg((o) => (org = o));
  beforeEach(async () => {
    await resetOrg(org);
    conn = await connectDemo(org);
  });

  it("leaves no raw describe in jsforce's own cache of the Connection; a second describe within the hour costs no call", async () => {
    const engine = createSyncEngine({ describeMaxEntries: 10 });
    const ctx = engine.context(syncContext(conn, org));
    await resetApiCalls(org);
    const info = await describeObject(ctx, 'Contact');
    expect(info.fields.get('email')).toMatchObject({ name: 'Email', type: 'email' });
    // describe$$ answers from jsforce's cache (strategy IMMEDIATE) and throws when it holds nothing.
    expect(() => conn.describe$$('Contact')).toThrow('Function call result is not cached yet.');
    expect(await describeObject(ctx, 'Contact')).toBe(info);
    expect((await apiCalls(org)).byKind).toEqual({ describe: 1 });
  });
});
