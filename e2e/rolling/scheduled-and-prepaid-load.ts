import { PrepaymentServiceClient, TopUpStage, type TopUpRecord } from '@dcc/proto';
import { fromServiceError } from '@dcc/service-kit';
import { waitFor } from '@dcc/testkit';
import { Metadata, type ServiceError } from '@grpc/grpc-js';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Received } from '../faults/response-reader.js';
import type { Tally } from '../faults/tally.js';
import {
  dailyScheduleRequest,
  estateLines,
  futureDatedRead,
  HubClient,
  SimulatedSupplier,
} from '../src/index.js';
import type { RollingProfile } from './profiles.js';
import { SUPPLIER, type RollingHub } from './rolling-hub.js';

export const HUB = '90-B3-D5-1F-30-00-00-02';
const ATTEMPTS = 20;

/** What the scheduling and prepayment traffic of a rolling run came to. */
export interface ScheduledAndPrepaidCounts {
  schedules: number;
  /** Schedules whose run was answered exactly once, I0. */
  runsOnce: number;
  held: number;
  /** Held requests answered exactly once, I0. */
  heldOnce: number;
  /** Top-ups the prepayment service acknowledged (answered the channel with a record). */
  topUps: number;
  /** Acknowledged top-ups CREDITED, with exactly one answer to their 2.2. */
  creditedOnce: number;
  /** The others, for the log: idempotency key, the record's last stage, the answers' response codes. */
  notCreditedOnce: string[];
  /** Answers seen more than once, or a second run of a schedule. */
  duplicates: number;
  /** I0 answers of all the above: commands that ran at a device edge. */
  deviceRuns: number;
}

/**
 * The rolling test's own traffic for scheduling and prepayment, on meters the read load is not given
 * (`leavesAlone`: a scheduled run's or a 2.2's RequestID counter is above the load's, so the meter would refuse
 * the load's next read as a replay): daily schedules whose first run falls due while the instances are restarted, DSP
 * future-dated reads released over the same span, and top-ups from the payment channel at a steady rate, each
 * sent to the prepayment instances in turn and, refused or cut off, sent again with its idempotency key to the
 * next. Answers come through the User's reader (the tally).
 */
export class ScheduledAndPrepaidLoad {
  private readonly topUps = new Map<string, TopUpRecord>();
  private stopped = false;
  private topping: Promise<void> = Promise.resolve();
  private lastDueMs = 0;

  private constructor(
    private readonly hub: RollingHub,
    private readonly tally: Tally,
    private readonly supplier: SimulatedSupplier,
    private readonly meters: { schedules: string[]; held: string[]; topUps: Meter[] },
  ) {}

  /** Creates the schedules and held requests (spread over `spreadMs` from now) and starts the top-ups. */
  static async start(
    hub: RollingHub,
    nc: NatsConnection,
    tally: Tally,
    profile: RollingProfile,
  ): Promise<ScheduledAndPrepaidLoad> {
    const meters = sideMeters(profile.points);
    const load = new ScheduledAndPrepaidLoad(hub, tally, new SimulatedSupplier(nc, SUPPLIER), meters);
    const spreadMs = profile.scheduledSpreadMs;
    const firstMs = Math.ceil(Date.now() / 1_000) * 1_000 + 5_000;
    const dueAt = (i: number, of: number) => firstMs + Math.floor((i * spreadMs) / of / 1_000) * 1_000;
    const counter = BigInt(Date.now()) * 1_000_000n;
    const client = new HubClient(hub.accessControl()[0]!);
    const acks = await client.submitStream([
      ...meters.schedules.map((device, i) =>
        dailyScheduleRequest(
          `${SUPPLIER}:${HUB}:${counter + BigInt(i)}`,
          device,
          dueAt(i, meters.schedules.length),
        ),
      ),
      ...meters.held.map((device, i) =>
        futureDatedRead(`${SUPPLIER}:${device}:${counter + BigInt(i)}`, dueAt(i, meters.held.length) + 500),
      ),
    ]);
    client.close();
    const refused = acks.filter((a) => a.responseCode !== 'I99');
    if (refused.length > 0) throw new Error(`side traffic refused: ${JSON.stringify(refused)}`);
    load.lastDueMs = firstMs + spreadMs + 500;
    load.topping = load.topUpLoop(profile.rate / 30);
    return load;
  }

  /** `devices` without the meters of this traffic (the read load's, which must not touch them). */
  leavesAlone(devices: string[]): string[] {
    const mine = new Set([
      ...this.meters.schedules,
      ...this.meters.held,
      ...this.meters.topUps.map((m) => m.device),
    ]);
    return devices.filter((d) => !mine.has(d));
  }

  /** Stops the top-ups (the rest of the traffic is already in the hub). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.topping;
  }

  /** Waits until everything owed is answered (or `settleMs` after the last due time), then counts. */
  async settle(settleMs: number): Promise<ScheduledAndPrepaidCounts> {
    await this.stop();
    const deadline = Math.max(Date.now(), this.lastDueMs) + settleMs;
    await waitFor(
      'scheduled, held and top-up answers',
      () => this.owed() === 0 || Date.now() > deadline,
      deadline - Date.now() + 1_000,
      250,
    );
    const stages = await Promise.all([...this.topUps.keys()].map((key) => this.stageBy(key, deadline)));
    const credited = stages.map((stage) => stage === TopUpStage.TOP_UP_STAGE_CREDITED);
    await new Promise((r) => setTimeout(r, 1_500)); // a second delivery would have come by now
    const runs = this.answersByMeter(this.meters.schedules);
    const held = this.answersByMeter(this.meters.held);
    const topUps = [...this.topUps.values()].map((r) => this.tally.deliveriesOf(r.requestId));
    const once = (lists: Answers[]) =>
      lists.filter((l) => l.length === 1 && l[0]!.responseCode === 'I0').length;
    const i0 = (lists: Answers[]) => lists.reduce((n, l) => n + (l[0]?.responseCode === 'I0' ? 1 : 0), 0);
    return {
      schedules: this.meters.schedules.length,
      runsOnce: once(runs),
      held: this.meters.held.length,
      heldOnce: once(held),
      topUps: this.topUps.size,
      creditedOnce: topUps.filter((l, i) => l.length === 1 && credited[i]).length,
      notCreditedOnce: [...this.topUps.entries()]
        .map(([key, record], i) => ({ key, record, answers: topUps[i]!, stage: stages[i] }))
        .filter(({ answers, stage }) => answers.length !== 1 || stage !== TopUpStage.TOP_UP_STAGE_CREDITED)
        .map(
          ({ key, record, answers, stage }) =>
            `${key} ${record.requestId}: ${stage === undefined ? 'unread' : TopUpStage[stage]}, answers [${answers.map((a) => a.responseCode).join(',')}]`,
        ),
      duplicates: [...runs, ...held, ...topUps].filter((l) => l.length > 1).length,
      deviceRuns: i0(runs) + i0(held) + i0(topUps),
    };
  }

  /** Every answer on each meter's requests (one meter, one schedule or held request), as one list per meter. */
  private answersByMeter(meters: string[]): Answers[] {
    const byMeter = new Map(meters.map((m): [string, Received[]] => [m, []]));
    for (const [requestId, list] of this.tally.delivered()) {
      byMeter.get(requestId.split(':')[1]!)?.push(...list);
    }
    return [...byMeter.values()];
  }

  private owed(): number {
    const unanswered = (lists: Answers[]) => lists.filter((l) => l.length === 0).length;
    return (
      unanswered(this.answersByMeter(this.meters.schedules)) +
      unanswered(this.answersByMeter(this.meters.held)) +
      [...this.topUps.values()].filter((r) => this.tally.deliveriesOf(r.requestId).length === 0).length
    );
  }

  /** The top-up's stage once CREDITED, or the last one read by `deadline` (undefined: never read). */
  private async stageBy(key: string, deadline: number): Promise<TopUpStage | undefined> {
    for (let last: TopUpStage | undefined; ;) {
      const record = await this.call((c) => this.get(c, key)).catch(() => undefined);
      last = record?.stage ?? last;
      if (last === TopUpStage.TOP_UP_STAGE_CREDITED || Date.now() > deadline) return last;
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  private async topUpLoop(perSecond: number): Promise<void> {
    const { topUps: meters } = this.meters;
    for (let i = 0; !this.stopped; i++) {
      const meter = meters[i % meters.length]!;
      const key = `rolling-${Date.now()}-${i}`;
      const record = await this.call((c) => this.topUp(c, `ACC-${i}:${meter.mpxn}`, key), i).catch(
        () => undefined,
      );
      if (record) this.topUps.set(key, record);
      await new Promise((r) => setTimeout(r, 1_000 / perSecond));
    }
  }

  /** One call to the prepayment instances in turn from `first`, again to the next after any failure. */
  private async call<T>(work: (client: PrepaymentServiceClient) => Promise<T>, first = 0): Promise<T> {
    const addresses = [...this.hub.instances]
      .filter(([name]) => name.startsWith('prepayment-'))
      .map(([, instance]) => instance.address);
    for (let attempt = 0; ; attempt++) {
      const client = new PrepaymentServiceClient(
        addresses[(first + attempt) % addresses.length]!,
        this.hub.paymentChannel,
      );
      try {
        return await work(client);
      } catch (error) {
        if (attempt >= ATTEMPTS) throw error;
        await new Promise((r) => setTimeout(r, 250));
      } finally {
        client.close();
      }
    }
  }

  private topUp(client: PrepaymentServiceClient, customerId: string, idempotencyKey: string) {
    return new Promise<TopUpRecord>((resolve, reject) =>
      client.topUp(
        { customerId, amountPence: 100, idempotencyKey },
        metadata(),
        deadline(),
        (error: ServiceError | null, reply) =>
          error ? reject(fromServiceError(error)) : resolve(reply!.topUp!),
      ),
    );
  }

  private get(client: PrepaymentServiceClient, idempotencyKey: string) {
    return new Promise<TopUpRecord>((resolve, reject) =>
      client.getTopUp({ idempotencyKey }, metadata(), deadline(), (error: ServiceError | null, reply) =>
        error ? reject(fromServiceError(error)) : resolve(reply!.topUp!),
      ),
    );
  }

  async close(): Promise<void> {
    await this.stop();
    await this.supplier.close();
  }
}

type Answers = readonly Received[];

const deadline = () => ({ deadline: Date.now() + 10_000 });
const metadata = () => new Metadata();

interface Meter {
  device: string;
  mpxn: string;
}

/**
 * Every third of the development supplier's commissioned SMETS2 electricity meters, up to 45 (the read load is
 * given the others): a third each for schedules, held requests and top-ups.
 */
function sideMeters(points: number): { schedules: string[]; held: string[]; topUps: Meter[] } {
  const meters: Meter[] = [];
  for (const line of estateLines(points, 'mixed')) {
    const row = JSON.parse(line) as {
      mpxn: string;
      fuel: string;
      meterKind: string;
      device: { id: string; status: string };
      supplier: { party: string };
    };
    if (row.fuel !== 'electricity' || row.meterKind !== 'SMETS2' || row.supplier.party !== SUPPLIER) continue;
    if (row.device.status === 'Commissioned') meters.push({ device: row.device.id, mpxn: row.mpxn });
  }
  const side = meters.filter((_, i) => i % 3 === 1).slice(0, 45);
  const third = Math.floor(side.length / 3);
  return {
    schedules: side.slice(0, third).map((m) => m.device),
    held: side.slice(third, 2 * third).map((m) => m.device),
    topUps: side.slice(2 * third),
  };
}
