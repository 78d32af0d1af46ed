import type { RequestId } from '@dcc/domain';
import type { Acknowledgement, MeterCommand, ServiceRequest } from '@dcc/proto';
import { isBreach, type Breach, type Counted } from './anomaly-detector.js';
import type { Quarantine } from './quarantine.js';

/**
 * Where the threshold counts live: this instance's memory (AnomalyDetector, one instance) or JetStream KV shared
 * by every instance (SharedAnomalyCounts, ANOMALY_COUNTERS=shared).
 */
export interface AnomalyCounts {
  check(userId: string, srv: string, nowMs: number): Counted | Breach | Promise<Counted | Breach>;
}

/** The outcome of screening: quarantined (answer with this acknowledgement) or counted (dispatch it). */
export type Screened = { acknowledgement: Acknowledgement } | { acknowledgement?: undefined; undo(): void };

/**
 * Threshold Anomaly Detection on the submit path, between admission and dispatch: a request within every
 * threshold is counted and goes on to its meter's mail (the caller undoes the count when that hand-off fails);
 * one over a threshold is stored in quarantine and acknowledged, and never reaches the meter until released.
 * Only admitted requests get here, so refusals never count.
 */
export class AnomalyScreen {
  constructor(
    private readonly detector: AnomalyCounts,
    private readonly quarantine: Quarantine,
    private readonly clock: () => number = Date.now,
  ) {}

  async screen(
    admitted: { request: ServiceRequest; id: RequestId; srv: { srv: string } },
    command: MeterCommand,
    meterMailSubject: string,
  ): Promise<Screened> {
    const srv = admitted.srv.srv;
    const outcome = await this.detector.check(admitted.id.originator, srv, this.clock());
    if (!isBreach(outcome)) return outcome;
    const acknowledgement = await this.quarantine.hold(
      { request: admitted.request, id: admitted.id, srv, command, meterMailSubject },
      outcome,
    );
    return { acknowledgement };
  }
}
