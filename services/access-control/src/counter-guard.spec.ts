import { parseRequestId } from '@dcc/domain';
import { describe, expect, it } from 'vitest';
import { CounterGuard } from './counter-guard.js';

const id = (originator: string, target: string, counter: number | bigint) =>
  parseRequestId(`90-B3-D5-1F-30-${originator}-00-00:00-DB-12-00-00-00-00-${target}:${counter}`);

describe('CounterGuard', () => {
  it('refuses a counter at or below the highest accepted for the same originator and target', async () => {
    const guard = new CounterGuard();
    await guard.check(id('01', '01', 10));
    await guard.record(id('01', '01', 10));
    await expect(guard.check(id('01', '01', 10))).rejects.toThrow(/not above 10.*replayed or stale/);
    await expect(guard.check(id('01', '01', 9))).rejects.toThrow(/counter 9 .* not above 10/);
    await expect(guard.check(id('01', '01', 11))).resolves.toBeUndefined();
    // Other pairs are independent.
    await expect(guard.check(id('02', '01', 1))).resolves.toBeUndefined();
    await expect(guard.check(id('01', '02', 1))).resolves.toBeUndefined();
  });

  it('never lowers a high-water mark, and handles counters beyond 2^53', async () => {
    const guard = new CounterGuard();
    await guard.record(id('01', '01', 18446744073709551614n));
    await guard.record(id('01', '01', 5));
    await expect(guard.check(id('01', '01', 18446744073709551614n))).rejects.toThrow(/ALREADY|not above/);
    await expect(guard.check(id('01', '01', 18446744073709551615n))).resolves.toBeUndefined();
  });

  it('stays within its capacity, forgetting the least recently used pair', async () => {
    const guard = new CounterGuard(3);
    for (const t of ['01', '02', '03']) await guard.record(id('01', t, 5));
    await guard.record(id('01', '01', 6)); // 01 becomes the most recent
    await guard.record(id('01', '04', 5)); // evicts 02
    expect(guard.size).toBe(3);
    await expect(guard.check(id('01', '02', 1))).resolves.toBeUndefined();
    await expect(guard.check(id('01', '01', 6))).rejects.toThrow();
  });

  it('costs as much per new pair far past its capacity as just past it (eviction in constant time)', async () => {
    const capacity = 20_000;
    const guard = new CounterGuard(capacity);
    const pair = (n: number) =>
      parseRequestId(`90-B3-D5-1F-30-01-00-00:00-DB-12-00-${hex(n >>> 16)}-${hex(n >>> 8)}-${hex(n)}-00:1`);
    let next = 0;
    /** The fastest of several timed runs of `count` new pairs (check + record): robust to a busy machine. */
    const timedWindow = async (count: number): Promise<number> => {
      let best = Infinity;
      for (let run = 0; run < 5; run++) {
        const started = performance.now();
        for (let i = 0; i < count; i++) {
          const request = pair(next++);
          await guard.check(request);
          await guard.record(request);
        }
        best = Math.min(best, performance.now() - started);
      }
      return best;
    };
    while (next < capacity) await timedWindow(capacity / 5); // filled to the bound
    const justPast = await timedWindow(4_000);
    while (next < 8 * capacity) await timedWindow(capacity / 5); // seven times the bound evicted
    const farPast = await timedWindow(4_000);
    expect(guard.size).toBe(capacity);
    // The former Map trimmed through a fresh iterator cost ~370 times as much per pair at 2.5 times its bound.
    expect(farPast / justPast).toBeLessThan(3);
  });
});

const hex = (n: number) => (n & 0xff).toString(16).padStart(2, '0').toUpperCase();
