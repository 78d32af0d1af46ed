import { DccError } from '@dcc/domain';
import type { MeterCommand } from '@dcc/proto';
import { perCohort, type Cohort, type PerCohort } from './cohort.js';
import { countersign, type DcoKeys } from './countersignature.js';
import { dcoCheck, type DcoCall } from './dco-rules.js';
import { SerialLane } from './serial-lane.js';

/** What the DCO saw, in the order it processed it (tests compare it with the order commands arrived in). */
export interface DcoObserver {
  /** The cohort's lane began processing the command (optional: tests measure the lane's busy intervals). */
  began?(cohort: Cohort, requestId: string): void;
  processed(cohort: Cohort, requestId: string, outcome: 'countersigned' | 'refused'): void;
}

export interface DcoOptions {
  keys: DcoKeys;
  /**
   * A modelled processing time per command and cohort (ms), on top of the real checking and signing: the
   * DCO's cost in the cohort's lane. 0 by default; a slow cohort is configured here.
   */
  processingMs?: Partial<PerCohort<number>>;
  observer?: DcoObserver;
  sleep?: (ms: number) => Promise<void>;
}

/** Whoever countersigns SMETS1 commands for the transport: this process's Dco, or the hub-wide lanes (dco-lanes.ts). */
export interface Countersigner {
  process(cohort: Cohort, stored: MeterCommand, call: DcoCall): Promise<Uint8Array>;
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The Dual Control Organisation in front of every SMETS1 device: checks each command by its own rules
 * (dco-rules.ts) and countersigns it (countersignature.ts) for the SMETS1 device path, which verifies the
 * countersignature before executing (smets1-transport.ts).
 *
 * Sequential per cohort, parallel across cohorts: each cohort (IOC, MOC, FOC) has one SerialLane, so the DCO
 * processes a cohort's commands strictly one after another in the order they arrive, however many device actors
 * submit at once, while the three lanes run independently (a slow cohort does not hold up the others). The
 * time a command spends in its lane is therefore the bound on a cohort's SMETS1 throughput
 * (docs/performance.md).
 */
export class Dco implements Countersigner {
  private readonly lanes = perCohort(() => new SerialLane());
  readonly stats = perCohort(() => ({ countersigned: 0, refused: 0, busyMs: 0 }));
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: DcoOptions) {
    this.sleep = options.sleep ?? pause;
  }

  /** Commands waiting for, or in, the cohort's lane. */
  queueDepth(cohort: Cohort): number {
    return this.lanes[cohort].depth;
  }

  /** Resolves once every command handed to the cohort's lane so far has been processed. */
  settled(cohort: Cohort): Promise<void> {
    return this.lanes[cohort].idle();
  }

  /**
   * Resolves with the countersignature once the cohort's DCO has passed the command; rejects with the DCO's
   * refusal (a final DccError: the command never reaches the device). `mayRun`, asked when the command's turn
   * comes, lets the hub-wide lanes (dco-lanes.ts) skip it when this process no longer holds the cohort's lane or
   * nobody waits for it any more: it is then rejected UNAVAILABLE, unprocessed, and its sender retries it.
   */
  process(
    cohort: Cohort,
    stored: MeterCommand,
    command: DcoCall,
    mayRun: () => boolean = () => true,
  ): Promise<Buffer> {
    return this.lanes[cohort].run(async () => {
      const requestId = stored.request?.requestId ?? '';
      if (!mayRun())
        throw DccError.unavailable(`the ${cohort} DCO lane moved: ${requestId} not processed here`);
      this.options.observer?.began?.(cohort, requestId);
      const started = performance.now();
      const modelled = this.options.processingMs?.[cohort] ?? 0;
      if (modelled > 0) await this.sleep(modelled);
      const verdict = dcoCheck(stored, command);
      const stats = this.stats[cohort];
      if (!verdict.passed) {
        stats.refused++;
        stats.busyMs += performance.now() - started;
        this.options.observer?.processed(cohort, requestId, 'refused');
        throw verdict.error;
      }
      const signature = countersign(this.options.keys.privateKey, stored.deviceId, stored.request!);
      stats.countersigned++;
      stats.busyMs += performance.now() - started;
      this.options.observer?.processed(cohort, requestId, 'countersigned');
      return signature;
    });
  }
}

export type DcoStats = Dco['stats'];
export type { DcoCall };
export type { PerCohort };
