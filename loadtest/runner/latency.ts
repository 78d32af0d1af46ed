import { build, type Histogram } from 'hdr-histogram-js';

/** An HDR histogram of latencies in milliseconds, recorded in microseconds (1 µs to 1 h, 3 significant digits). */
export class LatencyHistogram {
  private readonly histogram: Histogram = build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });

  record(ms: number): void {
    this.histogram.recordValue(Math.min(3_600_000_000, Math.max(1, Math.round(ms * 1000))));
  }

  get count(): number {
    return this.histogram.totalCount;
  }

  /** Milliseconds at percentile p (0-100); 0 when empty. */
  at(p: number): number {
    return this.count === 0 ? 0 : this.histogram.getValueAtPercentile(p) / 1000;
  }

  summary(): { count: number; p50: number; p95: number; p99: number; max: number } {
    return {
      count: this.count,
      p50: this.at(50),
      p95: this.at(95),
      p99: this.at(99),
      max: this.count === 0 ? 0 : this.histogram.maxValue / 1000,
    };
  }
}

/** Submit → I0 latencies bucketed by when the response arrived, for the latency-over-time plot. */
export class LatencyTimeline {
  private readonly buckets = new Map<number, LatencyHistogram>();

  constructor(
    private readonly startMs: number,
    readonly bucketSeconds: number,
  ) {}

  record(atMs: number, latencyMs: number): void {
    const bucket = Math.floor((atMs - this.startMs) / 1000 / this.bucketSeconds);
    let h = this.buckets.get(bucket);
    if (!h) this.buckets.set(bucket, (h = new LatencyHistogram()));
    h.record(latencyMs);
  }

  points(): { seconds: number; count: number; p50: number; p99: number }[] {
    return [...this.buckets.entries()]
      .sort(([a], [b]) => a - b)
      .map(([bucket, h]) => ({
        seconds: (bucket + 0.5) * this.bucketSeconds,
        count: h.count,
        p50: h.at(50),
        p99: h.at(99),
      }));
  }
}
