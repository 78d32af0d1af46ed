import { describe, expect, it } from 'vitest';
import { partitionOf } from './partition.js';

describe('partitionOf', () => {
  it('is stable: fixed keys map to fixed partitions', () => {
    // FNV-1a 32 of "a" is 0xe40c292c; these values pin the function so a change that would move meters fails.
    expect(partitionOf('a', 2 ** 32)).toBe(0xe40c292c);
    expect(partitionOf('00-DB-12-34-56-78-90-A0', 1024)).toBe(partitionOf('00-DB-12-34-56-78-90-A0', 1024));
  });

  it('spreads sequential device ids evenly', () => {
    const partitions = 64;
    const counts = new Array<number>(partitions).fill(0);
    for (let i = 0; i < 64_000; i++) {
      const id = i.toString(16).toUpperCase().padStart(16, '0').match(/../g)!.join('-');
      counts[partitionOf(id, partitions)]!++;
    }
    expect(Math.min(...counts)).toBeGreaterThan(800);
    expect(Math.max(...counts)).toBeLessThan(1200);
  });
});
