import { TtlCache } from '../../src/cache/ttlCache';

/** A load answering `values` in turn, counting its calls. */
function loader(values: string[]) {
  let calls = 0;
  return {
    load: async () => values[calls++] ?? 'none',
    get calls() {
      return calls;
    },
  };
}

describe('TtlCache', () => {
  it('answers from the cache within ttlMs and loads again after', async () => {
    const cache = new TtlCache<string>(1_000);
    const l = loader(['a', 'b']);
    expect(await cache.get('k', 0, l.load)).toBe('a');
    expect(await cache.get('k', 999, l.load)).toBe('a');
    expect(await cache.get('k', 1_000, l.load)).toBe('b');
    expect(l.calls).toBe(2);
  });

  it('shares one load between concurrent readers of a key, get and reload alike', async () => {
    const cache = new TtlCache<string>(1_000);
    const l = loader(['a', 'b']);
    const [x, y, z] = await Promise.all([
      cache.get('k', 0, l.load),
      cache.reload('k', () => 0, l.load),
      cache.get('k', 0, l.load),
    ]);
    expect([x, y, z, l.calls]).toEqual(['a', 'a', 'a', 1]);
  });

  it('reload reads a fresh value and holds it from when the load ended', async () => {
    const cache = new TtlCache<string>(1_000);
    const l = loader(['a', 'b']);
    await cache.get('k', 0, l.load);
    expect(await cache.reload('k', () => 500, l.load)).toBe('b');
    expect(cache.peek('k')).toEqual({ value: 'b', at: 500 });
    expect(await cache.get('k', 1_400, l.load)).toBe('b');
  });

  it('set holds a value read elsewhere; peek shows it whatever its age', async () => {
    const cache = new TtlCache<string>(1_000);
    const l = loader(['loaded']);
    cache.set('k', 'primed', 100);
    expect(await cache.get('k', 200, l.load)).toBe('primed');
    expect(cache.peek('k')).toEqual({ value: 'primed', at: 100 });
    expect(cache.peek('k')).toEqual(cache.peek('k')); // peek itself loads nothing
    expect(l.calls).toBe(0);
    expect(cache.peek('other')).toBeUndefined();
  });

  it('keeps at most maxEntries, least recently used dropped first', async () => {
    const cache = new TtlCache<string>(1_000, 2);
    cache.set('a', '1', 0);
    cache.set('b', '2', 0);
    await cache.get('a', 0, async () => 'x'); // a is now the most recent
    cache.set('c', '3', 0);
    expect([cache.size, cache.peek('a')?.value, cache.peek('b'), cache.peek('c')?.value]).toEqual([
      2,
      '1',
      undefined,
      '3',
    ]);
  });

  it('invalidate drops the keys with a prefix, or all', () => {
    const cache = new TtlCache<string>(1_000);
    cache.set('org1|a', '1', 0);
    cache.set('org1|b', '2', 0);
    cache.set('org2|a', '3', 0);
    cache.invalidate('org1|');
    expect(cache.size).toBe(1);
    cache.invalidate();
    expect(cache.size).toBe(0);
  });
});
