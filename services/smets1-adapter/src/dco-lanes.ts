import { PartitionLeases } from '@dcc/actors';
import { decode, encode, Requester, Responder, subjects } from '@dcc/bus';
import { DccError, GrpcStatus } from '@dcc/domain';
import { DcoLaneReply, DcoLaneRequest, type MeterCommand } from '@dcc/proto';
import type { NatsConnection } from '@nats-io/transport-node';
import { COHORTS, type Cohort } from './cohort.js';
import type { Countersigner, Dco, DcoCall } from './dco.js';

export interface DcoLanesOptions {
  nc: NatsConnection;
  /** This instance's id (the lane leases' owner names; one live process per id). */
  instanceId: string;
  /** This process's DCO: it runs the lanes this instance holds. */
  dco: Dco;
  /** How long a command may take to get through its cohort's lane, hand-offs and a lane's move included. */
  budgetMs: number;
  /** How long one hand-off waits for the lane holder's answer before it is sent again. Default 5 s. */
  attemptMs?: number;
  /** The pause before a command is tried again when no instance answers for its lane. Default 20 ms. */
  retryMs?: number;
  /** The lane leases (KV bucket `dco_lanes`); their TTL bounds how long a dead holder's lane stays unserved. */
  leases?: { ttlMs?: number; renewMs?: number; marginMs?: number; bucket?: string };
  onError?(error: unknown, where: string): void;
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Failures another attempt can cure: the lane moved, nobody holds it yet, its holder did not answer in time. */
const retryable = (error: DccError) =>
  !error.responseCode &&
  (error.status === GrpcStatus.UNAVAILABLE || error.status === GrpcStatus.DEADLINE_EXCEEDED);

/**
 * The DCO's per-cohort order hub-wide, across smets1-adapter instances: each cohort's lane is run by exactly one
 * instance at a time, the holder of the cohort's lease in the JetStream KV bucket `dco_lanes` (PartitionLeases
 * of libs/actors, one "partition" per cohort, so the three lanes spread over the live instances and move when
 * one starts, stops or dies). The holder runs the cohort's commands through its Dco's SerialLane, its own ones
 * directly and every other instance's handed to it over NATS request/reply on `dcc.dco.<cohort>` (only the
 * holder listens there), so all of a cohort's commands pass one lane, one after another; the cohorts' lanes,
 * held by different instances or not, run in parallel.
 *
 * Never two lanes for one cohort: a holder takes a command only while its lease holds by its own clock
 * (PartitionLeases stops it `marginMs` before the server can expire the lease, so a DCO turn must take less than
 * that margin), and on a graceful move (release, rebalance) it stops listening and finishes its queue before the
 * lease is released. A command the holder skipped (lane lost) or never answered (holder died) is sent again by
 * its instance, which waits within `budgetMs` for the next holder; past the budget it fails UNAVAILABLE, which
 * leaves the command in METER_MAIL for redelivery: none is lost. An attempt its sender gave up on is skipped by
 * the holder (`giveUpAtMs`), so a retry does not leave a stale copy in the lane; a countersignature whose reply
 * was lost is made again on the retry (the device executes a stored command at most once either way).
 */
export class DcoLanes implements Countersigner {
  private leases!: PartitionLeases;
  private readonly requester: Requester;
  private readonly listening = new Map<Cohort, Responder<DcoLaneRequest, DcoLaneReply>>();
  /** Lanes being handed over gracefully: no new command joins them here. */
  private readonly moving = new Set<Cohort>();
  /** Hand-offs to another instance's lane (attempts: a command sent again counts again), per cohort. */
  readonly handedOff: Record<Cohort, number> = { IOC: 0, MOC: 0, FOC: 0 };
  private readonly attemptMs: number;
  private readonly retryMs: number;

  private constructor(private readonly options: DcoLanesOptions) {
    this.requester = new Requester(options.nc);
    this.attemptMs = options.attemptMs ?? 5_000;
    this.retryMs = options.retryMs ?? 20;
  }

  static async start(options: DcoLanesOptions): Promise<DcoLanes> {
    const self = new DcoLanes(options);
    self.leases = await PartitionLeases.start({
      nc: options.nc,
      instanceId: options.instanceId,
      partitions: COHORTS.length,
      ...options.leases,
      bucket: options.leases?.bucket ?? 'dco_lanes',
      onAcquired: (p) => self.hold(COHORTS[p]!),
      onLost: (p, graceful) => self.letGo(COHORTS[p]!, graceful),
      onError: (error) => options.onError?.(error, 'dco lane leases'),
    });
    return self;
  }

  /** The cohorts whose lanes this instance runs now. */
  get heldCohorts(): Cohort[] {
    return COHORTS.filter((cohort) => this.holds(cohort));
  }

  /** Resolves with the cohort DCO's countersignature, from whichever instance holds the lane; rejects as the DCO does. */
  async process(cohort: Cohort, stored: MeterCommand, call: DcoCall): Promise<Uint8Array> {
    const giveUpAt = Date.now() + this.options.budgetMs;
    for (;;) {
      try {
        if (this.holds(cohort) && !this.moving.has(cohort))
          return await this.run(cohort, stored, call, giveUpAt);
        return await this.handOff(cohort, stored, call, Math.min(giveUpAt, Date.now() + this.attemptMs));
      } catch (error) {
        const failure = DccError.from(error);
        if (!retryable(failure)) throw failure;
        if (Date.now() + this.retryMs >= giveUpAt) {
          throw DccError.unavailable(
            `no ${cohort} DCO lane answered within ${this.options.budgetMs} ms: ${failure.message}`,
          );
        }
        await pause(this.retryMs);
      }
    }
  }

  /** Graceful stop: every lane this instance holds finishes its queue and is released to the other instances. */
  async stop(): Promise<void> {
    await this.leases.stop();
    this.requester.close();
  }

  /** Crash simulation (tests): stops renewing and answering without releasing anything, as a killed process. */
  abandon(): void {
    this.leases.abandon();
    for (const responder of this.listening.values()) void responder.drain();
    this.listening.clear();
    this.requester.close();
  }

  private holds(cohort: Cohort): boolean {
    return this.leases.holds(COHORTS.indexOf(cohort));
  }

  /** Runs the command in this instance's lane of the cohort, if its turn comes while the lane is still held here. */
  private run(cohort: Cohort, stored: MeterCommand, call: DcoCall, giveUpAt: number): Promise<Buffer> {
    return this.options.dco.process(cohort, stored, call, () => this.holds(cohort) && Date.now() <= giveUpAt);
  }

  private async handOff(
    cohort: Cohort,
    stored: MeterCommand,
    call: DcoCall,
    giveUpAt: number,
  ): Promise<Uint8Array> {
    const request: DcoLaneRequest = {
      stored,
      srv: call.srv,
      signatureVerified: call.signer !== undefined,
      executionTimeMs: call.executionTimeMs,
      giveUpAtMs: giveUpAt,
    };
    this.handedOff[cohort]++;
    const reply = await this.requester.request(
      subjects.dcoLane(cohort),
      encode(DcoLaneRequest, request),
      undefined,
      Math.max(1, giveUpAt - Date.now()),
    );
    return decode(DcoLaneReply, reply.data, `${cohort} DCO lane reply`).countersignature;
  }

  /** The lease is ours: listen for the other instances' commands of the cohort. */
  private async hold(cohort: Cohort): Promise<void> {
    this.moving.delete(cohort);
    this.listening.set(
      cohort,
      new Responder(this.options.nc, {
        subject: subjects.dcoLane(cohort),
        // A queue group: while a lane moves, the old holder may still listen next to the new one, and a
        // command must reach only one of them (the old one refuses it, unprocessed, and it is sent again).
        queue: 'dco-lane',
        request: DcoLaneRequest,
        response: DcoLaneReply,
        handle: async (request) => {
          if (!request.stored)
            throw DccError.invalidArgument(`${cohort} DCO lane: a command without its request`);
          const call: DcoCall = {
            srv: request.srv,
            ...(request.signatureVerified ? { signer: true } : {}),
            ...(request.executionTimeMs === undefined ? {} : { executionTimeMs: request.executionTimeMs }),
          };
          return { countersignature: await this.run(cohort, request.stored, call, request.giveUpAtMs) };
        },
      }),
    );
    // Listening at the server before the lane counts as held, so a hand-off finds the new holder.
    await this.options.nc.flush();
  }

  /**
   * The lease goes. Graceful: stop listening, let the queue (still held) finish, then the lease is released.
   * Lost: the lease no longer holds, so what waits in the lane is skipped and its senders retry elsewhere.
   * Either way no command of this instance joins the lane here again until the lease is taken anew.
   */
  private async letGo(cohort: Cohort, graceful: boolean): Promise<void> {
    this.moving.add(cohort);
    const responder = this.listening.get(cohort);
    this.listening.delete(cohort);
    await responder?.drain();
    if (graceful) await this.options.dco.settled(cohort);
  }
}
