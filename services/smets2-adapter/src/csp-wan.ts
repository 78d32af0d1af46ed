import { DccError, type Eui64 } from '@dcc/domain';
import type { WanRoute } from './csp-region.js';
import { perRegion, REGIONS, type PerRegion, type Region } from './csp-region.js';
import { SeededWan, type RegionDeliveryModel } from './region-delivery-model.js';

/** A region's figures for the operations API. */
export interface RegionStats {
  queued: number;
  inFlight: number;
  delivered: number;
  retries: number;
  duplicatesSuppressed: number;
  deviceExecutions: number;
  e20: number;
  e21: number;
  heldOutOfService: number;
}

/** What the device edge did with one attempt that reached it: ran the command, or answered from its memory. */
export interface DeviceAnswer<T> {
  result: T;
  executed: boolean;
}

export interface CspWanOptions {
  models: PerRegion<RegionDeliveryModel>;
  /** Target Response Time (ms): a command not answered this long after its delivery began is answered E20/E21. */
  targetResponseMs: number;
  seed: number;
  /** CHF / GPF ids unavailable from the start (settings); the operations API changes the set at run time. */
  unavailableHubs?: Iterable<Eui64>;
  sleep?: (ms: number) => Promise<void>;
  clock?: () => number;
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * The three CSP regions' WANs between the adapter and the comms hubs. A command waits for its region's
 * concurrency budget, then is attempted until the device answers or its Target Response Time runs out: a lost
 * or late attempt is repeated, and a repeat that reaches a device which already executed the command gets the
 * device's remembered answer (the device edge's memory, smets2-transport.ts), so it runs at most once. When the
 * TRT runs out the hub answers E20 (no attempt reached the device: no communications) or E21 (the device was
 * reached but no response came back). A region out of service takes no new command: it is refused with a
 * retryable status and stays in METER_MAIL until the region is back.
 */
export class CspWan {
  readonly stats: PerRegion<RegionStats> = perRegion(() => ({
    queued: 0,
    inFlight: 0,
    delivered: 0,
    retries: 0,
    duplicatesSuppressed: 0,
    deviceExecutions: 0,
    e20: 0,
    e21: 0,
    heldOutOfService: 0,
  }));
  private readonly outOfService = new Set<Region>();
  private readonly unavailable: Set<Eui64>;
  private readonly wans: PerRegion<SeededWan>;
  /** Per region: commands waiting for a slot of the concurrency budget, first come first served. */
  private readonly waiting = perRegion<(() => void)[]>(() => []);
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly clock: () => number;

  constructor(private readonly options: CspWanOptions) {
    this.unavailable = new Set(options.unavailableHubs ?? []);
    this.wans = perRegion(
      (region) => new SeededWan(options.models[region], options.seed + REGIONS.indexOf(region)),
    );
    this.sleep = options.sleep ?? pause;
    this.clock = options.clock ?? Date.now;
  }

  inService(region: Region): boolean {
    return !this.outOfService.has(region);
  }

  setInService(region: Region, inService: boolean): void {
    if (inService) this.outOfService.delete(region);
    else this.outOfService.add(region);
  }

  setHubAvailable(hub: Eui64, available: boolean): void {
    if (available) this.unavailable.delete(hub);
    else this.unavailable.add(hub);
  }

  get unavailableHubs(): Eui64[] {
    return [...this.unavailable].sort();
  }

  /** Carries one command over its route; `device` is the device edge, called by each attempt that reaches it. */
  async deliver<T>(route: WanRoute, deviceId: Eui64, device: () => DeviceAnswer<T>): Promise<T> {
    const { region } = route;
    this.holdIfOutOfService(region, deviceId);
    const deadline = this.clock() + this.options.targetResponseMs;
    await this.acquire(region);
    try {
      // Checked again: the region may have gone out of service while the command queued (nothing sent yet).
      this.holdIfOutOfService(region, deviceId);
      return await this.attempts(route, deviceId, deadline, device);
    } finally {
      this.release(region);
    }
  }

  private async attempts<T>(
    route: WanRoute,
    deviceId: Eui64,
    deadline: number,
    device: () => DeviceAnswer<T>,
  ): Promise<T> {
    const stats = this.stats[route.region];
    const wan = this.wans[route.region];
    let reached = false;
    for (let attempt = 0; ; attempt++) {
      const remaining = deadline - this.clock();
      if (remaining <= 0) break;
      if (attempt > 0) stats.retries++;
      const fate = wan.attempt();
      // A comms hub on the route that is unavailable: the command gets no further than the WAN.
      const hubUp = route.hops.every((hop) => !this.unavailable.has(hop));
      let answer: DeviceAnswer<T> | undefined;
      if (hubUp && fate.reachesDevice) {
        reached = true;
        answer = device();
        if (answer.executed) stats.deviceExecutions++;
        else stats.duplicatesSuppressed++;
      }
      // Its response is what the adapter waits for; past the TRT it does not wait any more.
      await this.sleep(Math.min(fate.waitMs, remaining));
      if (answer && fate.answered && fate.waitMs <= remaining) {
        stats.delivered++;
        return answer.result;
      }
    }
    if (reached) {
      stats.e21++;
      throw DccError.duis('E21', `no response from device ${deviceId} within the Target Response Time`);
    }
    stats.e20++;
    throw DccError.duis(
      'E20',
      `could not establish communications with device ${deviceId} (${route.region} region) within the Target Response Time`,
    );
  }

  private holdIfOutOfService(region: Region, deviceId: Eui64): void {
    if (this.inService(region)) return;
    this.stats[region].heldOutOfService++;
    // No response code: the command stays in METER_MAIL and is delivered again (libs/meter-delivery).
    throw DccError.unavailable(`CSP region ${region} is out of service: the command for ${deviceId} waits`);
  }

  private async acquire(region: Region): Promise<void> {
    const stats = this.stats[region];
    if (stats.inFlight < this.options.models[region].concurrency) {
      stats.inFlight++;
      return;
    }
    stats.queued++;
    await new Promise<void>((resolve) => this.waiting[region].push(resolve));
    stats.queued--;
    // release handed its slot over: inFlight stays counted.
  }

  private release(region: Region): void {
    const next = this.waiting[region].shift();
    if (next) next();
    else this.stats[region].inFlight--;
  }
}
