import { parseRequestId } from '@dcc/domain';
import { describe, expect, it } from 'vitest';
import { CounterGuard } from './counter-guard.js';

const id = (originator: string, target: string, counter: number | bigint) =>
  parseRequestId(`90-B3-D5-1F-30-${originator}-00-00:00-DB-12-00-00-00-00-${target}:${counter}`);

describe('CounterGuard', () => {
  it('refuses a counter at or below the highest accepted for the same originator and target', () => {
    const guard = new CounterGuard();
    guard.check(id('01', '01', 10));
    guard.record(id('01', '01', 10));
    expect(() => guard.check(id('01', '01', 10))).toThrow(/not above 10.*replayed or stale/);
    expect(() => guard.check(id('01', '01', 9))).toThrow(/counter 9 .* not above 10/);
    expect(() => guard.check(id('01', '01', 11))).not.toThrow();
    // Other pairs are independent.
    expect(() => guard.check(id('02', '01', 1))).not.toThrow();
    expect(() => guard.check(id('01', '02', 1))).not.toThrow();
  });

  it('never lowers a high-water mark, and handles counters beyond 2^53', () => {
    const guard = new CounterGuard();
    guard.record(id('01', '01', 18446744073709551614n));
    guard.record(id('01', '01', 5));
    expect(() => guard.check(id('01', '01', 18446744073709551614n))).toThrow(/ALREADY|not above/);
    expect(() => guard.check(id('01', '01', 18446744073709551615n))).not.toThrow();
  });

  it('stays within its capacity, forgetting the least recently used pair', () => {
    const guard = new CounterGuard(3);
    for (const t of ['01', '02', '03']) guard.record(id('01', t, 5));
    guard.record(id('01', '01', 6)); // 01 becomes the most recent
    guard.record(id('01', '04', 5)); // evicts 02
    expect(guard.size).toBe(3);
    expect(() => guard.check(id('01', '02', 1))).not.toThrow();
    expect(() => guard.check(id('01', '01', 6))).toThrow();
  });
});
