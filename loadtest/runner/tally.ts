import type { ScenarioName } from '../model/index.ts';
import { LatencyHistogram } from './latency.ts';

/** What happened to one scenario's iterations during a run. */
export class ScenarioTally {
  attempted = 0;
  failed = 0;
  completed = 0;
  readonly i99 = new LatencyHistogram();
  readonly i0 = new LatencyHistogram();
  /** How late iterations were sent after their intended start (load generator saturation). */
  readonly sendLag = new LatencyHistogram();
  readonly failures = new Map<string, number>();
  firstIntendedMs = Infinity;
  lastI0Ms = 0;

  constructor(readonly name: ScenarioName) {}

  fail(reason: string): void {
    this.failed++;
    this.failures.set(reason, (this.failures.get(reason) ?? 0) + 1);
  }
}
