import { streams } from '@dcc/bus';
import { mpanCheckDigit } from '@dcc/domain';
import {
  FeedLineOutcome,
  RegistrationAppointmentRole,
  RegistrationServiceClient,
  type GetHolderResponse,
  type LoadFeedResponse,
} from '@dcc/proto';
import { status, type ServiceError } from '@grpc/grpc-js';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { call } from '../test/registration-helpers.js';
import { OPERATOR, registrationTls } from '../src/registration-tls.js';

/** The supplier a written point starts with, and the one its change of supplier hands it to. */
const FIRST = '90-B3-D5-1F-30-09-00-00';
const SECOND = '90-B3-D5-1F-30-0A-00-00';
/** Written points lie outside the estate's MPAN range (the estate's start with 10). */
const mpxnOf = (n: number) => {
  const first12 = `19${String(n).padStart(10, '0')}`;
  return first12 + mpanCheckDigit(first12);
};

/** A new point with its first supplier (`switch` false), or its change of supplier from 2025 (`switch` true). */
const lineOf = (n: number, change: boolean) =>
  JSON.stringify({
    mpxn: mpxnOf(n),
    fuel: 'electricity',
    meterKind: 'SMETS2',
    cspRegion: 'Central',
    supplier: change ? { party: SECOND, from: '2025-01-01' } : { party: FIRST, from: '2020-01-01' },
  });

type Write = { n: number; change: boolean; acknowledged: boolean; rejected?: string; lastFailure?: string };

/**
 * Registration writes during the rolling restart: feed lines, one LoadFeed call each with a 5 s deadline,
 * alternately to the registration instances (the other one when the first refuses or is down), each a new point
 * and, a little later, that point's change of supplier. Afterwards `verify` asks both instances for every
 * point: each acknowledged write must be visible on both, and the record must hold each stored write once.
 */
export class RegistrationWriter {
  private readonly writes: Write[] = [];
  private readonly clients: RegistrationServiceClient[] = [];
  private messagesBefore = 0;

  constructor(
    private readonly nc: NatsConnection,
    private readonly addresses: readonly string[],
  ) {}

  /**
   * Writes `rate` lines a second until `signal` aborts or `maxPoints` points are written and switched (the
   * registry's capacity is sized for the estate with room to spare, not for an unbounded run).
   */
  async run(signal: AbortSignal, maxPoints: number, rate = 2): Promise<void> {
    const credentials = (await registrationTls()).credentials(OPERATOR);
    for (const address of this.addresses)
      this.clients.push(new RegistrationServiceClient(address, credentials));
    this.messagesBefore = await this.recordMessages();
    const pending: Promise<void>[] = [];
    for (let tick = 0; !signal.aborted && tick < 2 * maxPoints + 3; tick++) {
      // Point n is created on tick 2n and its supplier changed on tick 2n + 3 (after the creation is answered).
      const write: Write =
        tick % 2 === 0
          ? { n: tick / 2, change: false, acknowledged: false }
          : { n: (tick - 3) / 2, change: true, acknowledged: false };
      if (write.n >= 0 && (!write.change || this.created(write.n))) {
        this.writes.push(write);
        pending.push(this.send(write, tick));
      }
      await new Promise((resolve) => setTimeout(resolve, 1000 / rate));
    }
    await Promise.all(pending);
  }

  private created(n: number): boolean {
    return this.writes.some((w) => w.n === n && !w.change && w.acknowledged);
  }

  /** One line to one instance, then to the others in turn until one acknowledges it (each at most 3 rounds). */
  private async send(write: Write, tick: number): Promise<void> {
    const line = lineOf(write.n, write.change);
    for (let attempt = 0; attempt < 3 * this.clients.length && !write.acknowledged; attempt++) {
      const client = this.clients[(tick + attempt) % this.clients.length]!;
      const answer = await writeLine(client, line);
      write.acknowledged = answer === 'acknowledged';
      if (!write.acknowledged) write.lastFailure = answer;
      // A refused line is a wrong decision, not an outage: reported, not sent again.
      if (answer.startsWith('rejected')) return void (write.rejected = answer);
      if (!write.acknowledged) await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }

  /** Compares what every instance answers with the acknowledged writes and the record with what was stored. */
  async verify(): Promise<{
    acknowledged: number;
    unacknowledged: number;
    failures: Record<string, number>;
    problems: string[];
    stored: number;
    expectedStored: number;
  }> {
    const problems = this.writes.filter((w) => w.rejected).map((w) => `point ${w.n}: ${w.rejected}`);
    let expectedStored = 0;
    const points = [...new Set(this.writes.map((w) => w.n))];
    for (const n of points) {
      const created = this.writes.find((w) => w.n === n && !w.change)!;
      const changed = this.writes.find((w) => w.n === n && w.change);
      const holders = await Promise.all(this.clients.map((client) => holderOf(client, mpxnOf(n))));
      if (new Set(holders).size !== 1)
        problems.push(`point ${n}: instances disagree: ${holders.join(' / ')}`);
      const holder = holders[0]!;
      if (created.acknowledged && holder === '') problems.push(`point ${n}: acknowledged, not registered`);
      if (changed?.acknowledged && holder !== SECOND)
        problems.push(`point ${n}: switch acknowledged, holder ${holder}`);
      if (!changed && holder === SECOND) problems.push(`point ${n}: switched, never sent`);
      // What the record holds: the creation when the point exists, the switch when it took effect.
      if (holder !== '') expectedStored++;
      if (holder === SECOND) expectedStored++;
    }
    for (const client of this.clients) client.close();
    return {
      acknowledged: this.writes.filter((w) => w.acknowledged).length,
      unacknowledged: this.writes.filter((w) => !w.acknowledged).length,
      // Why the unacknowledged ones were not: the last answer of each, counted.
      failures: this.writes
        .filter((w) => !w.acknowledged)
        .reduce<Record<string, number>>((counts, w) => {
          const reason = w.lastFailure ?? 'not sent';
          counts[reason] = (counts[reason] ?? 0) + 1;
          return counts;
        }, {}),
      problems,
      stored: (await this.recordMessages()) - this.messagesBefore,
      expectedStored,
    };
  }

  private async recordMessages(): Promise<number> {
    const jsm = await jetstreamManager(this.nc);
    return (await jsm.streams.info(streams.registration.name)).state.messages;
  }
}

/**
 * One feed line in its own LoadFeed call: 'acknowledged' once the instance answers it applied or already
 * recorded, 'rejected: <reason>' when it refuses the line, 'no answer' when the call fails first.
 */
function writeLine(client: RegistrationServiceClient, line: string): Promise<string> {
  return new Promise((resolve) => {
    const stream = client.loadFeed({ deadline: Date.now() + 5_000 });
    let answer = 'no answer';
    stream.on('data', (response: LoadFeedResponse) => {
      if (response.result?.$case !== 'line') return;
      const { outcome, reason } = response.result.value;
      if (outcome === FeedLineOutcome.FEED_LINE_OUTCOME_REJECTED) answer = `rejected: ${reason}`;
      else if (
        outcome === FeedLineOutcome.FEED_LINE_OUTCOME_APPLIED ||
        outcome === FeedLineOutcome.FEED_LINE_OUTCOME_UNCHANGED
      )
        answer = 'acknowledged';
    });
    stream.on('error', (error: ServiceError) => resolve(`${answer} (${status[error.code]})`));
    stream.on('end', () => resolve(answer));
    stream.write({ options: { feedId: 'rolling', relaxCheckDigits: false }, line });
    stream.end();
  });
}

/** The point's supplier now, '' when the point is not registered. */
async function holderOf(client: RegistrationServiceClient, mpxn: string): Promise<string> {
  try {
    const holder = await call<unknown, GetHolderResponse>(client, 'getHolder', {
      mpxn,
      role: RegistrationAppointmentRole.REGISTRATION_APPOINTMENT_ROLE_SUPPLIER,
      atMs: 0,
    });
    return holder.partyId;
  } catch (error) {
    if ((error as ServiceError).code === status.NOT_FOUND) return '';
    throw error;
  }
}
