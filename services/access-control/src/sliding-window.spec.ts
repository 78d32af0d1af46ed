import { describe, expect, it } from 'vitest';
import { SlidingWindowCounter } from './sliding-window.js';

describe('SlidingWindowCounter', () => {
  it('counts events of the last `seconds` seconds, boundaries included', () => {
    const w = new SlidingWindowCounter(10);
    w.add(100);
    w.add(100);
    w.add(105);
    expect(w.count(105)).toBe(3);
    expect(w.count(109)).toBe(3); // 100..109 is the window ending at 109
    expect(w.count(110)).toBe(1); // second 100 left; 105 still in
    expect(w.count(114)).toBe(1);
    expect(w.count(115)).toBe(0);
  });

  it('slides bucket by bucket and wraps the ring many times', () => {
    const w = new SlidingWindowCounter(5);
    for (let s = 1_000; s < 1_100; s++) {
      w.add(s);
      expect(w.count(s)).toBe(Math.min(5, s - 1_000 + 1));
    }
  });

  it('a jump longer than the window clears everything at once', () => {
    const w = new SlidingWindowCounter(60);
    for (let i = 0; i < 1_000; i++) w.add(10 + (i % 60));
    expect(w.count(69)).toBe(1_000);
    expect(w.count(10_000)).toBe(0);
    w.add(10_000);
    expect(w.count(10_000)).toBe(1);
  });

  it('a clock that steps back counts into the newest second', () => {
    const w = new SlidingWindowCounter(3);
    w.add(50);
    expect(w.add(40)).toBe(50);
    expect(w.count(52)).toBe(2);
    expect(w.count(53)).toBe(0);
  });

  it('remove takes back an event still in the window, and ignores one that left', () => {
    const w = new SlidingWindowCounter(3);
    const second = w.add(7);
    w.add(8);
    w.remove(second);
    expect(w.count(8)).toBe(1);
    w.remove(second); // bucket already empty: no underflow
    expect(w.count(8)).toBe(1);
    w.add(20);
    w.remove(8); // long gone
    expect(w.count(20)).toBe(1);
  });

  it('memory is the ring alone: 4 bytes per second, whatever the event count', () => {
    const w = new SlidingWindowCounter(3_600);
    for (let i = 0; i < 100_000; i++) w.add(1_000_000 + (i % 3_600));
    expect(w.count(1_003_599)).toBe(100_000);
    expect((w as unknown as { buckets: Uint32Array }).buckets.byteLength).toBe(4 * 3_600);
  });

  it('refuses a window that is not a positive whole number of seconds', () => {
    expect(() => new SlidingWindowCounter(0)).toThrow(RangeError);
    expect(() => new SlidingWindowCounter(1.5)).toThrow(RangeError);
  });
});
