import { DeliveryLanes, type LinkDeliveryModel, type SharedSwitches } from '@dcc/meter-delivery';
import { COHORTS, type Cohort, type PerCohort } from './cohort.js';

export interface S1ServiceProviderOptions {
  /** Each cohort's S1 service provider's delivery model: latency, jitter, loss, attempt timeout, concurrency. */
  models: PerCohort<LinkDeliveryModel>;
  /** Target Response Time (ms) from when the S1 service provider begins to deliver: then E20/E21. */
  targetResponseMs: number;
  seed: number;
  /** Cohorts out of service, as every instance of the adapter sees them. */
  switches: SharedSwitches;
  /** The share of a provider's concurrency budget runs of DCC schedules may hold (DeliveryLanes). */
  scheduledShare?: number;
  sleep?: (ms: number) => Promise<void>;
  clock?: () => number;
}

/**
 * The SMETS1 service providers, one per cohort, each with its own delivery model as the CSP regions have
 * (libs/meter-delivery's DeliveryLanes): latency and jitter, loss both ways, a concurrency budget (they carry
 * many commands at once: only the DCO is sequential), lost or late attempts retried within the Target Response
 * Time, then E20 (the device never reached) or E21 (reached, no response); a repeat never runs twice at the
 * device. A cohort out of service (the operators' switch `cohort`, shared by every instance) holds its commands
 * in METER_MAIL; the transport checks it before the DCO (`holdIfOutOfService`), so nothing is countersigned.
 */
export class S1ServiceProviders extends DeliveryLanes<Cohort> {
  constructor(options: S1ServiceProviderOptions) {
    super({
      ...options,
      lanes: COHORTS,
      laneSwitch: 'cohort',
      describe: (cohort) => `the ${cohort} cohort's S1 service provider`,
    });
  }
}
