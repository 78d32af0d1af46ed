import type { Eui64 } from '@dcc/domain';
import {
  DeliveryLanes,
  type DeviceAnswer,
  type LaneStats,
  type LinkDeliveryModel,
  type SharedSwitches,
} from '@dcc/meter-delivery';
import { REGIONS, type PerRegion, type Region, type WanRoute } from './csp-region.js';

/** A region's figures for the operations API. */
export type RegionStats = LaneStats;

export interface CspWanOptions {
  models: PerRegion<LinkDeliveryModel>;
  /** Target Response Time (ms): a command not answered this long after its delivery began is answered E20/E21. */
  targetResponseMs: number;
  seed: number;
  /** Regions out of service and comms hubs unavailable, as every instance of the adapter sees them. */
  switches: SharedSwitches;
  /** The share of a region's concurrency budget runs of DCC schedules may hold (DeliveryLanes). */
  scheduledShare?: number;
  sleep?: (ms: number) => Promise<void>;
  clock?: () => number;
}

/**
 * The three CSP regions' WANs between the adapter and the comms hubs: one delivery lane per region with its own
 * model (retries within the TRT, E20/E21, at most once at the device: libs/meter-delivery's DeliveryLanes),
 * reached through the comms hubs of the device's route. A region out of service (switch `region`) and a comms
 * hub unavailable (switch `hub`) are the operators' decisions, shared by every instance of the adapter.
 */
export class CspWan extends DeliveryLanes<Region> {
  constructor(options: CspWanOptions) {
    super({
      ...options,
      lanes: REGIONS,
      laneSwitch: 'region',
      hopSwitch: 'hub',
      describe: (region) => `CSP region ${region}`,
    });
  }

  /**
   * Carries one command over its route; `device` is the device edge, called by each attempt that reaches it;
   * `scheduled`: a run of a DCC schedule, behind on-demand commands.
   */
  deliverOver<T>(
    route: WanRoute,
    deviceId: Eui64,
    device: () => DeviceAnswer<T>,
    scheduled = false,
  ): Promise<T> {
    return this.deliver(route.region, route.hops, deviceId, device, scheduled);
  }
}
