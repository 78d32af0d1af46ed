import { DccError } from '@dcc/domain';
import { SeededLink, type LinkDeliveryModel } from './link-delivery-model.js';
import type { SharedSwitches } from './shared-switches.js';

/** One lane's figures for an operations API. */
export interface LaneStats {
  queued: number;
  inFlight: number;
  delivered: number;
  retries: number;
  duplicatesSuppressed: number;
  deviceExecutions: number;
  /** Of deviceExecutions: commands the device refused by its own rules (e.g. a RequestID counter not above its mark). */
  deviceRefusals: number;
  e20: number;
  e21: number;
  heldOutOfService: number;
}

/** What the device edge did with one attempt that reached it: ran the command, or answered from its memory. */
export interface DeviceAnswer<T> {
  result: T;
  executed: boolean;
  /** Run, and refused by the device's own rules (its answer is the refusal). */
  refused?: boolean;
}

export interface DeliveryLanesOptions<K extends string> {
  lanes: readonly K[];
  models: Record<K, LinkDeliveryModel>;
  /** Target Response Time (ms): a command not answered this long after its delivery began is answered E20/E21. */
  targetResponseMs: number;
  seed: number;
  /**
   * The operators' switches, shared by the adapter's instances: a lane out of service is switch `laneSwitch`
   * off (e.g. `region`, `cohort`), a hop on a route (a comms hub) unavailable is switch `hopSwitch` off.
   */
  switches: SharedSwitches;
  laneSwitch: string;
  hopSwitch?: string;
  /** How a lane is named in refusals ("CSP region NORTH", "the IOC S1 service provider"). */
  describe: (lane: K) => string;
  /**
   * The share of a lane's concurrency budget runs of DCC schedules may hold at once (0 < share ≤ 1, default
   * 0.5): the rest stays for on-demand commands, which also go first whenever a slot frees.
   */
  scheduledShare?: number;
  sleep?: (ms: number) => Promise<void>;
  clock?: () => number;
}

/** Commands waiting for a slot of a lane's concurrency budget, first come first served within each class. */
interface Waiting {
  onDemand: (() => void)[];
  scheduled: (() => void)[];
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * Lossy delivery lanes between an adapter and its devices, each with its own delivery model: the CSP regions'
 * WANs (SMETS2), the S1 service providers (SMETS1, one per cohort). A command waits for its lane's concurrency
 * budget, then is attempted until the device answers or its Target Response Time runs out: a lost or late
 * attempt is repeated, and a repeat that reaches a device which already executed the command gets the device's
 * remembered answer (device-memory.ts), so it runs at most once. When the TRT runs out the hub answers E20 (no
 * attempt reached the device: no communications) or E21 (the device was reached but no response came back). A
 * lane out of service takes no new command: it is refused with a retryable status and stays in METER_MAIL
 * until the lane is back.
 *
 * On-demand commands keep priority over runs of DCC schedules (`scheduled`): a freed slot goes to the oldest
 * waiting on-demand command first, and scheduled runs hold at most `scheduledShare` of the budget, so a night's
 * collection queued for one lane cannot hold the slots an on-demand read needs within its TRT.
 */
export class DeliveryLanes<K extends string> {
  readonly stats: Record<K, LaneStats>;
  private readonly links: Record<K, SeededLink>;
  private readonly waiting: Record<K, Waiting>;
  /** Per lane: slots held by runs of DCC schedules (counted in `inFlight` too). */
  private readonly scheduledInFlight: Record<K, number>;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly clock: () => number;

  constructor(private readonly options: DeliveryLanesOptions<K>) {
    const each = <V>(make: (lane: K, index: number) => V) =>
      Object.fromEntries(options.lanes.map((lane, i) => [lane, make(lane, i)])) as Record<K, V>;
    this.stats = each(() => ({
      queued: 0,
      inFlight: 0,
      delivered: 0,
      retries: 0,
      duplicatesSuppressed: 0,
      deviceExecutions: 0,
      deviceRefusals: 0,
      e20: 0,
      e21: 0,
      heldOutOfService: 0,
    }));
    this.links = each((lane, i) => new SeededLink(options.models[lane], options.seed + i));
    this.waiting = each(() => ({ onDemand: [], scheduled: [] }));
    this.scheduledInFlight = each(() => 0);
    this.sleep = options.sleep ?? pause;
    this.clock = options.clock ?? Date.now;
  }

  /**
   * What reached the devices over every lane since this process started: commands run, and repeats answered from
   * a device's memory. Logged at a graceful stop, so the executions of every incarnation can be added up.
   */
  totals(): { deviceExecutions: number; deviceRefusals: number; duplicatesSuppressed: number } {
    const all = Object.values<LaneStats>(this.stats);
    return {
      deviceExecutions: all.reduce((n, s) => n + s.deviceExecutions, 0),
      deviceRefusals: all.reduce((n, s) => n + s.deviceRefusals, 0),
      duplicatesSuppressed: all.reduce((n, s) => n + s.duplicatesSuppressed, 0),
    };
  }

  inService(lane: K): boolean {
    return !this.options.switches.isOff(this.options.laneSwitch, lane);
  }

  /** Takes a lane out of service or back, for every instance (stored in KV before it resolves). */
  setInService(lane: K, inService: boolean, by?: string): Promise<void> {
    return this.options.switches.set(this.options.laneSwitch, lane, inService, by);
  }

  /** Marks a hop (a comms hub) unavailable or available again, for every instance. */
  setHopAvailable(hop: string, available: boolean, by?: string): Promise<void> {
    return this.options.switches.set(this.hopSwitch, hop, available, by);
  }

  /** The hops unavailable now, sorted. */
  get unavailableHops(): string[] {
    return this.options.switches.offNames(this.hopSwitch);
  }

  private get hopSwitch(): string {
    if (!this.options.hopSwitch) throw DccError.internal('these delivery lanes have no hops to switch');
    return this.options.hopSwitch;
  }

  /**
   * Refuses a command for a lane out of service, with no response code and a retryable status: it stays in
   * METER_MAIL and is delivered again (libs/meter-delivery's command handler), nothing having been sent.
   */
  holdIfOutOfService(lane: K, deviceId: string): void {
    if (this.inService(lane)) return;
    this.stats[lane].heldOutOfService++;
    throw DccError.unavailable(
      `${this.options.describe(lane)} is out of service: the command for ${deviceId} waits`,
    );
  }

  /**
   * Carries one command over its lane and route (`hops`: each must be available); `device` is the device edge,
   * called by each attempt that reaches it; `scheduled`: a run of a DCC schedule (lower priority).
   */
  async deliver<T>(
    lane: K,
    hops: readonly string[],
    deviceId: string,
    device: () => DeviceAnswer<T>,
    scheduled = false,
  ): Promise<T> {
    this.holdIfOutOfService(lane, deviceId);
    // An on-demand command's TRT runs while it queues; a scheduled run's (24 h, kept by the collection plan)
    // does not: its delivery clock starts when it gets a slot, so waiting behind on-demand work is not an E20.
    const queuedAt = this.clock();
    await this.acquire(lane, scheduled);
    const deadline = (scheduled ? this.clock() : queuedAt) + this.options.targetResponseMs;
    try {
      // Checked again: the lane may have gone out of service while the command queued (nothing sent yet).
      this.holdIfOutOfService(lane, deviceId);
      return await this.attempts(lane, hops, deviceId, deadline, device);
    } finally {
      this.release(lane, scheduled);
    }
  }

  private async attempts<T>(
    lane: K,
    hops: readonly string[],
    deviceId: string,
    deadline: number,
    device: () => DeviceAnswer<T>,
  ): Promise<T> {
    const stats = this.stats[lane];
    const link = this.links[lane];
    const { switches, hopSwitch } = this.options;
    let reached = false;
    for (let attempt = 0; ; attempt++) {
      const remaining = deadline - this.clock();
      if (remaining <= 0) break;
      if (attempt > 0) stats.retries++;
      const fate = link.attempt();
      // A hop on the route that is unavailable: the command gets no further than the link.
      const pathUp = hopSwitch === undefined || hops.every((hop) => !switches.isOff(hopSwitch, hop));
      let answer: DeviceAnswer<T> | undefined;
      if (pathUp && fate.reachesDevice) {
        reached = true;
        answer = device();
        if (!answer.executed) stats.duplicatesSuppressed++;
        else {
          stats.deviceExecutions++;
          if (answer.refused) stats.deviceRefusals++;
        }
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
      `could not establish communications with device ${deviceId} (${this.options.describe(lane)}) within the Target Response Time`,
    );
  }

  /** Slots scheduled runs may hold in a lane: their share of the budget, at least one. */
  private scheduledCap(lane: K): number {
    const share = this.options.scheduledShare ?? 0.5;
    return Math.max(1, Math.floor(this.options.models[lane].concurrency * share));
  }

  private async acquire(lane: K, scheduled: boolean): Promise<void> {
    const stats = this.stats[lane];
    const waiting = this.waiting[lane];
    const free = stats.inFlight < this.options.models[lane].concurrency;
    // A scheduled run never overtakes a waiting on-demand command, and stays within its share.
    const mayStart = scheduled
      ? free && waiting.onDemand.length === 0 && this.scheduledInFlight[lane] < this.scheduledCap(lane)
      : free;
    if (mayStart) {
      stats.inFlight++;
      if (scheduled) this.scheduledInFlight[lane]++;
      return;
    }
    stats.queued++;
    await new Promise<void>((resolve) => (scheduled ? waiting.scheduled : waiting.onDemand).push(resolve));
    stats.queued--;
    // admitWaiting counted the slot in `inFlight` (and `scheduledInFlight`) before it woke this command.
  }

  private release(lane: K, scheduled: boolean): void {
    this.stats[lane].inFlight--;
    if (scheduled) this.scheduledInFlight[lane]--;
    this.admitWaiting(lane);
  }

  /** Hands free slots to waiting commands: on-demand first, then scheduled runs within their share. */
  private admitWaiting(lane: K): void {
    const stats = this.stats[lane];
    const waiting = this.waiting[lane];
    while (stats.inFlight < this.options.models[lane].concurrency) {
      const scheduled =
        waiting.onDemand.length === 0 &&
        waiting.scheduled.length > 0 &&
        this.scheduledInFlight[lane] < this.scheduledCap(lane);
      const next = scheduled ? waiting.scheduled.shift() : waiting.onDemand.shift();
      if (!next) return;
      stats.inFlight++;
      if (scheduled) this.scheduledInFlight[lane]++;
      next();
    }
  }
}
