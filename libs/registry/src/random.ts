/**
 * sfc32, a small seeded PRNG: 128 bits of state, so the ~500 million draws of a 30-million estate stay far
 * from its period (mulberry32 would repeat after 2^32), and a few ns per draw without BigInt.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 12; i++) this.uint32(); // mix the seed into all four words
  }

  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / 4_294_967_296;
  }

  /** Uniform integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  /** An index drawn with the given weights (see {@link cumulative}). */
  pick(cumulativeWeights: Float64Array): number {
    const target = this.next() * cumulativeWeights[cumulativeWeights.length - 1]!;
    let i = 0;
    while (cumulativeWeights[i]! <= target) i++;
    return i;
  }
}

/** Running sums of `weights`, the form {@link Random.pick} draws from (a linear scan: lists are short). */
export function cumulative(weights: readonly number[]): Float64Array {
  const sums = new Float64Array(weights.length);
  let total = 0;
  weights.forEach((w, i) => (sums[i] = total += w));
  return sums;
}
