import { GroupCommit } from '../../src/store/groupCommit';

describe('GroupCommit', () => {
  it('commits requests arriving in one event-loop turn as one batch, answering each with its own result', async () => {
    const batches: number[][] = [];
    const gc = new GroupCommit<number, string>((items) => {
      batches.push(items);
      return items.map((i) => `ok${i}`);
    });
    const results = await Promise.all([1, 2, 3].map((i) => gc.submit(i)));
    expect(results).toEqual(['ok1', 'ok2', 'ok3']);
    expect(batches).toEqual([[1, 2, 3]]);
    expect(await gc.submit(4)).toBe('ok4');
    expect(batches).toEqual([[1, 2, 3], [4]]);
  });

  it('answers nobody before the commit returns', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let committed = false;
    const gc = new GroupCommit<number, number>(async (items) => {
      await gate;
      committed = true;
      return items;
    });
    let answered = false;
    const p = gc.submit(1).then(() => {
      answered = true;
      expect(committed).toBe(true);
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(answered).toBe(false);
    release();
    await p;
    expect(answered).toBe(true);
  });

  it('isolates a failing item: the batch is retried item by item and only that caller is rejected', async () => {
    const gc = new GroupCommit<number, number>((items) => {
      if (items.includes(2)) throw new Error('constraint');
      return items;
    });
    const settled = await Promise.allSettled([1, 2, 3].map((i) => gc.submit(i)));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('splits large groups into batches of maxBatch', async () => {
    const sizes: number[] = [];
    const gc = new GroupCommit<number, number>((items) => {
      sizes.push(items.length);
      return items;
    }, 10);
    await Promise.all(Array.from({ length: 25 }, (_, i) => gc.submit(i)));
    expect(sizes).toEqual([10, 10, 5]);
  });

  it('flushes pending items on close and rejects later ones', async () => {
    const gc = new GroupCommit<number, number>((items) => items);
    const pending = gc.submit(1);
    await gc.close();
    await expect(pending).resolves.toBe(1);
    await expect(gc.submit(2)).rejects.toThrow(/closed/);
  });
});
