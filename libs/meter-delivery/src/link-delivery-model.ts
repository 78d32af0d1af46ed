import { mix32 } from '@dcc/meter';

/**
 * One simulated delivery link's model (a CSP region's WAN, a SMETS1 service provider's; settings in
 * docs/operations.md): each delivery attempt takes `baseLatencyMs` plus up to `jitterMs` (uniform) for its round
 * trip; with probability `lossRate` the command is lost on its way to the device, and with the same probability
 * the device's response is lost on its way back (the command was executed). A response slower than
 * `attemptTimeoutMs` is late: the adapter stops waiting and tries again. At most `concurrency` commands are on
 * the link at once; the others queue.
 */
export interface LinkDeliveryModel {
  baseLatencyMs: number;
  jitterMs: number;
  lossRate: number;
  attemptTimeoutMs: number;
  concurrency: number;
}

/** What happens to one delivery attempt on the link. */
export interface AttemptFate {
  /** The command reached the device (it executes it, or answers it from its memory). */
  reachesDevice: boolean;
  /** Its response came back within the attempt timeout. */
  answered: boolean;
  /** How long the adapter waits on this attempt: the round trip, or the attempt timeout when nothing comes. */
  waitMs: number;
}

/**
 * Draws attempt fates from a seeded counter-based generator (the n-th draw is a hash of seed and n), so a test
 * with given settings and seed sees the same sequence of losses and latencies (for one link, in the order
 * attempts are made).
 */
export class SeededLink {
  private draws = 0;

  constructor(
    private readonly model: LinkDeliveryModel,
    private readonly seed: number,
  ) {}

  private next(): number {
    return mix32(this.seed, this.draws++) / 4_294_967_296;
  }

  attempt(): AttemptFate {
    const { baseLatencyMs, jitterMs, lossRate, attemptTimeoutMs } = this.model;
    const reachesDevice = this.next() >= lossRate;
    const responseArrives = reachesDevice && this.next() >= lossRate;
    const latency = baseLatencyMs + this.next() * jitterMs;
    const answered = responseArrives && latency <= attemptTimeoutMs;
    return { reachesDevice, answered, waitMs: answered ? latency : attemptTimeoutMs };
  }
}
