/** Collects latency samples (ms) in a growable typed array and answers percentiles. */
export class LatencyRecorder {
  private samples = new Float64Array(1 << 16);
  private length = 0;

  add(ms: number): void {
    if (this.length === this.samples.length) {
      const grown = new Float64Array(this.samples.length * 2);
      grown.set(this.samples);
      this.samples = grown;
    }
    this.samples[this.length++] = ms;
  }

  get count(): number {
    return this.length;
  }

  /** Percentiles (0..100) by nearest rank; NaN when there are no samples. */
  percentiles(...ps: number[]): number[] {
    const sorted = this.samples.slice(0, this.length).sort();
    return ps.map((p) => {
      if (sorted.length === 0) return Number.NaN;
      const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
      return sorted[rank]!;
    });
  }
}
