/** A 32-bit integer mix (murmur3 finaliser): cheap, allocation-free, deterministic noise from integers. */
export function mix32(a: number, b: number): number {
  let h = Math.imul(a ^ Math.imul(b, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
