import { perCohort, type Cohort, type PerCohort } from './cohort.js';

export interface S1ServiceProviderOptions {
  /** Delivery latency per cohort (ms): the S1 service provider's round trip to the device and back. */
  latencyMs?: Partial<PerCohort<number>>;
  sleep?: (ms: number) => Promise<void>;
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The SMETS1 service providers, one per cohort, each with its own delivery model (today a fixed latency per
 * command; they deliver many commands at once: only the DCO is sequential). Counts what each has in flight
 * and has delivered, for the operations API.
 */
export class S1ServiceProviders {
  readonly stats = perCohort(() => ({ inFlight: 0, delivered: 0 }));
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: S1ServiceProviderOptions = {}) {
    this.sleep = options.sleep ?? pause;
  }

  /** Carries one countersigned command to its device (`execute` is the device edge) and its answer back. */
  async deliver<T>(cohort: Cohort, execute: () => T | Promise<T>): Promise<T> {
    const stats = this.stats[cohort];
    const latency = this.options.latencyMs?.[cohort] ?? 0;
    stats.inFlight++;
    try {
      if (latency > 0) await this.sleep(latency);
      const answer = await execute();
      stats.delivered++;
      return answer;
    } finally {
      stats.inFlight--;
    }
  }
}
