import type { ReceivedResponse } from '../../runner/response-reader.ts';

export interface NightFigures {
  answered: number;
  executed: number;
  /** Answers per refusal (response code or gRPC status, and the detail's start). */
  refused: Record<string, number>;
  /** First to last answer, seconds. */
  wallS: number;
  meanRate: number;
  /** The busiest and quietest full seconds inside the window. */
  peakRate: number;
  troughRate: number;
  /** Coefficient of variation of the per-second rate inside the window (0 = perfectly flat). */
  rateCv: number;
  /** Answered before the window closed (plus the on-demand Target Response Time a last release still has). */
  answeredInWindow: number;
  /** Answered within the scheduled Target Response Time scaled by the compression. */
  withinScaledTrt: number;
  /** Answers per second over the whole night, for the picture of its shape. */
  perSecond: number[];
}

/** Collects the answers of scheduled runs (responses that carry a DSPScheduleID) as they arrive. */
export class NightObserver {
  private readonly arrivals: number[] = [];
  private readonly codes = new Map<string, number>();
  private executed = 0;

  readonly onResponse = (response: ReceivedResponse): void => {
    if (!response.dspScheduleId) return;
    this.arrivals.push(response.receivedAtMs);
    if (response.responseCode === 'I0') this.executed++;
    else {
      const key = `${response.responseCode || `status ${response.statusCode}`}: ${response.detail.slice(0, 80)}`;
      this.codes.set(key, (this.codes.get(key) ?? 0) + 1);
    }
  };

  get answered(): number {
    return this.arrivals.length;
  }

  /**
   * The night's figures. `windowStartMs`/`windowEndMs`: when the compressed window opened and closed in real time;
   * `dueMs`: when the runs fell due in real time; `scaledTrtMs`: the scheduled TRT divided by the compression.
   */
  figures(
    windowStartMs: number,
    windowEndMs: number,
    dueMs: number,
    scaledTrtMs: number,
    onDemandTrtMs: number,
  ): NightFigures {
    const sorted = [...this.arrivals].sort((a, b) => a - b);
    const first = sorted[0] ?? windowStartMs;
    const last = sorted.at(-1) ?? windowStartMs;
    const perSecond: number[] = [];
    for (const at of sorted) {
      const second = Math.floor((at - first) / 1000);
      perSecond[second] = (perSecond[second] ?? 0) + 1;
    }
    for (let i = 0; i < perSecond.length; i++) perSecond[i] ??= 0;
    // Whole seconds strictly inside the window: the flatness the plan is responsible for.
    const inside: number[] = [];
    for (
      let s = Math.ceil((windowStartMs - first) / 1000) + 1;
      s < Math.floor((windowEndMs - first) / 1000) - 1;
      s++
    ) {
      if (s >= 0 && s < perSecond.length) inside.push(perSecond[s]!);
    }
    const mean = inside.reduce((a, b) => a + b, 0) / Math.max(1, inside.length);
    const variance = inside.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, inside.length);
    const wallS = Math.max(0.001, (last - first) / 1000);
    return {
      answered: sorted.length,
      executed: this.executed,
      refused: Object.fromEntries(this.codes),
      wallS,
      meanRate: sorted.length / wallS,
      peakRate: Math.max(0, ...inside),
      troughRate: inside.length ? Math.min(...inside) : 0,
      rateCv: mean > 0 ? Math.sqrt(variance) / mean : 0,
      answeredInWindow: sorted.filter((at) => at <= windowEndMs + onDemandTrtMs).length,
      withinScaledTrt: sorted.filter((at) => at - dueMs <= scaledTrtMs).length,
      perSecond,
    };
  }
}
