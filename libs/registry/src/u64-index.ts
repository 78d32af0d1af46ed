import { DccError } from '@dcc/domain';

/** Table occupancy never exceeds this, so linear probing stays short (about 2.5 probes for a miss at 0.75). */
const MAX_LOAD = 0.75;

/**
 * An open-addressing hash index from a 64-bit key to a point number, over keys the caller stores: `keys` holds
 * two uint32 words (high, low) per point, and the table holds only point + 1 (0 = empty slot). So the index
 * costs one int32 per slot, about 9 bytes per point at 30 million, and never copies a key.
 *
 * Linear probing with backward-shift deletion: no tombstones, so a table that sees meter exchanges for years
 * does not slowly fill with dead slots.
 */
export class U64Index {
  private readonly slots: Int32Array;
  private readonly mask: number;

  /** `capacity` points at most; the table is the next power of two that keeps the load under MAX_LOAD. */
  constructor(
    private readonly keys: Uint32Array,
    capacity: number,
  ) {
    let size = 1024;
    while (size * MAX_LOAD < capacity) size *= 2;
    if (size > 2 ** 30) throw DccError.invalidArgument(`an index for ${capacity} points is too large`);
    this.slots = new Int32Array(size);
    this.mask = size - 1;
  }

  /** The point whose key is (high, low), or -1. */
  find(high: number, low: number): number {
    const { slots, keys, mask } = this;
    let slot = hashWords(high, low) & mask;
    for (;;) {
      const stored = slots[slot]!;
      if (stored === 0) return -1;
      const point = stored - 1;
      if (keys[point * 2 + 1] === low && keys[point * 2] === high) return point;
      slot = (slot + 1) & mask;
    }
  }

  /** Indexes `point` under the key already written to `keys`. The caller ensures the key is not present. */
  insert(point: number): void {
    const { slots, keys, mask } = this;
    let slot = hashWords(keys[point * 2]!, keys[point * 2 + 1]!) & mask;
    while (slots[slot] !== 0) slot = (slot + 1) & mask;
    slots[slot] = point + 1;
  }

  /** Removes `point` (indexed under its current key in `keys`); call before overwriting the key. */
  remove(point: number): void {
    const { slots, keys, mask } = this;
    let hole = hashWords(keys[point * 2]!, keys[point * 2 + 1]!) & mask;
    while (slots[hole] !== point + 1) {
      if (slots[hole] === 0) return;
      hole = (hole + 1) & mask;
    }
    // Backward shift: pull later entries of the run into the hole when their home slot allows it.
    let next = (hole + 1) & mask;
    while (slots[next] !== 0) {
      const moved = slots[next]! - 1;
      const home = hashWords(keys[moved * 2]!, keys[moved * 2 + 1]!) & mask;
      // The entry may move back to `hole` only if `hole` lies cyclically between its home and `next`.
      if (((next - home) & mask) >= ((next - hole) & mask)) {
        slots[hole] = slots[next]!;
        hole = next;
      }
      next = (next + 1) & mask;
    }
    slots[hole] = 0;
  }

  get byteLength(): number {
    return this.slots.byteLength;
  }
}

/** murmur3's 32-bit finaliser over both words: sequential serial numbers spread over the whole table. */
export function hashWords(high: number, low: number): number {
  let h = Math.imul(high, 0x9e3779b1) ^ low;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
