import { parseRequestId } from '@dcc/domain';
import { describe, expect, it } from 'vitest';
import {
  CounterFloors,
  decodeFloors,
  encodeFloors,
  floorAt,
  raised,
  type FloorRecord,
} from './counter-floors.js';
import { CounterGuard } from './counter-guard.js';

const WINDOW_MS = 15 * 60_000;
const EPOCH_MS = WINDOW_MS / 15;
const id = (target: string, counter: number | bigint) =>
  parseRequestId(`90-B3-D5-1F-30-01-00-00:00-DB-12-00-00-00-00-${target}:${counter}`);

/** A guard remembering at most `capacity` pairs, on a clock the test moves. */
function guardAt(capacity: number) {
  const clock = { now: 1_000 * WINDOW_MS };
  const guard = new CounterGuard(
    capacity,
    undefined,
    undefined,
    new CounterFloors(WINDOW_MS, undefined, () => clock.now),
  );
  return { guard, clock };
}

describe('an originator floor, for pairs whose own mark has lapsed', () => {
  it('refuses a pair without a mark a counter at or below what the originator sent before the window', async () => {
    const { guard, clock } = guardAt(1); // one pair remembered: the other's mark lapses at once
    await guard.record(id('01', 500));
    await guard.record(id('02', 100)); // 01's mark is forgotten
    // Within the window the originator's counters may arrive out of order: 01 has no mark, 300 < 500 passes.
    await expect(guard.check(id('01', 300))).resolves.toBeUndefined();
    clock.now += WINDOW_MS + EPOCH_MS;
    await expect(guard.check(id('01', 300))).rejects.toThrow(/not above 500.*replayed or stale/);
    await expect(guard.check(id('03', 500))).rejects.toThrow(/counter 500 .* not above 500/);
    await expect(guard.check(id('03', 501))).resolves.toBeUndefined();
  });

  it('keeps apart counters of different lengths (two systems numbering for one User), refusing replays in each', async () => {
    const { guard, clock } = guardAt(1);
    const ownMs = 1_764_000_000_000; // a supplier's own system: milliseconds
    const topUp = 1_764_000_000_000_000_007n; // the prepayment service for the same supplier: ms × 10^6
    await guard.record(id('01', topUp));
    await guard.record(id('02', ownMs));
    await guard.record(id('03', 1)); // both pairs' marks are forgotten
    clock.now += WINDOW_MS + EPOCH_MS;
    await expect(guard.check(id('04', ownMs + 1))).resolves.toBeUndefined(); // not held back by the top-ups
    await expect(guard.check(id('05', topUp + 1n))).resolves.toBeUndefined();
    await expect(guard.check(id('01', topUp))).rejects.toThrow(/not above 1764000000000000007/);
    await expect(guard.check(id('02', ownMs))).rejects.toThrow(
      /not above 1764000000000, the highest of its length/,
    );
  });

  it('leaves a pair that still has its mark to that mark alone', async () => {
    const { guard, clock } = guardAt(10);
    await guard.record(id('01', 500));
    await guard.record(id('02', 100));
    clock.now += 2 * WINDOW_MS;
    await expect(guard.check(id('02', 101))).resolves.toBeUndefined(); // below the floor, above its own mark
    await expect(guard.check(id('02', 100))).rejects.toThrow(/not above 100, the highest already accepted/);
  });

  it("makes an epoch's highest counter the floor once the whole epoch is more than the window ago", async () => {
    const floors = (now: { ms: number }) => new CounterFloors(WINDOW_MS, undefined, () => now.ms);
    const now = { ms: 1_000 * WINDOW_MS };
    const recorded = floors(now);
    await recorded.cover('O', 900n); // accepted at the start of an epoch
    now.ms += WINDOW_MS - 2 * EPOCH_MS + EPOCH_MS - 1; // still inside: its epoch is not yet a floor
    expect(await recorded.floor('O')).toBe(-1n);
    now.ms += EPOCH_MS + 1; // the whole epoch is now more than the window ago
    expect(await recorded.floor('O')).toBe(900n);
  });
});

describe('a floor record', () => {
  const record: FloorRecord = {
    base: 10n,
    epochs: [
      [5, 50n],
      [7, 70n],
    ],
  };

  it('holds per epoch the highest counter, and folds epochs too old to matter into the base', () => {
    expect(floorAt(record, 4)).toBe(10n);
    expect(floorAt(record, 6)).toBe(50n);
    expect(raised(record, 7, 60n, 0)).toBe(record); // epoch 7 already holds more
    expect(raised(record, 6, 40n, 0)).toBe(record); // epoch 5 already holds more, and is earlier
    expect(raised(record, 8, 80n, 6)).toEqual({
      base: 50n,
      epochs: [
        [7, 70n],
        [8, 80n],
      ],
    });
    expect(raised(record, 6, 2n ** 64n - 1n, 0).epochs).toEqual([
      [5, 50n],
      [6, 2n ** 64n - 1n],
      [7, 70n],
    ]);
  });

  it('reads back as written', () => {
    expect(decodeFloors(encodeFloors(record))).toEqual(record);
    expect(decodeFloors(encodeFloors({ base: -1n, epochs: [] }))).toEqual({ base: -1n, epochs: [] });
  });
});
