import { DurablePublisher, Requester, streams } from '@dcc/bus';
import { DccError, GrpcStatus } from '@dcc/domain';
import { AppointmentRole } from '@dcc/registry';
import { createLogger } from '@dcc/service-kit';
import { startNatsServer, type NatsServer } from '@dcc/testkit';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import { feedRowChanges } from './feed-changes.js';
import { requestSwitchChanges, type CosSettings } from './switch-changes.js';
import { parseFeedLine } from './feed.js';
import { Follower } from './follower.js';
import { ensureRegistrationStream, Recorder } from './recorder.js';
import { RegistrationState } from './state.js';
import { mpan } from './test-helpers.js';

// Two registration instances in one process, each with its own NATS connection, state, follower and recorder,
// writing one REGISTRATION stream on a real nats-server: what one records the other applies, concurrent
// conflicting writes are decided by the stream's order, and the bulk path's applied-ahead chunks are neither
// applied twice nor interleaved with another instance's change.

const OLD = '90-B3-D5-1F-30-01-00-00';
const GAINING = ['90-B3-D5-1F-30-09-00-00', '90-B3-D5-1F-30-0A-00-00'];
const cos: CosSettings = {
  objectionWorkingDays: 5,
  resolveWorkingDays: 5,
  gasEffectiveDays: 7,
  holidays: new Set(),
};
const clock = new ManualClock(Date.parse('2025-06-04T10:00:00Z'));
const log = createLogger('registration-test', 'silent');

const point = (n: number) => mpan(String(101_000_000_000 + n));
const row = (n: number, supplier = OLD, from = '2020-01-01') =>
  parseFeedLine(
    JSON.stringify({
      mpxn: point(n),
      fuel: 'electricity',
      meterKind: 'SMETS2',
      cspRegion: 'South',
      supplier: { party: supplier, from },
    }),
  );

/** Holds each publish until `open()`: lets a test decide the order in which two instances' writes land. */
class GatedPublisher {
  private gate: Promise<void> | undefined;
  private release: () => void = () => undefined;
  constructor(private readonly inner: DurablePublisher) {}
  close(): void {
    this.gate = new Promise((resolve) => (this.release = resolve));
  }
  open(): void {
    this.release();
    this.gate = undefined;
  }
  publish: DurablePublisher['publish'] = async (...args) => {
    await this.gate;
    return this.inner.publish(...args);
  };
}

interface Instance {
  state: RegistrationState;
  follower: Follower;
  recorder: Recorder;
  publisher: GatedPublisher;
  diverged: Error[];
}

let nats: NatsServer;
const connections: NatsConnection[] = [];
const requesters: Requester[] = [];
let running: Instance[] = [];

async function instance(): Promise<Instance> {
  const nc = await connect({ servers: nats.url });
  connections.push(nc);
  const requester = new Requester(nc);
  requesters.push(requester);
  await ensureRegistrationStream(nc);
  const state = new RegistrationState(4_000);
  const follower = new Follower(nc, state, log);
  await follower.start();
  const publisher = new GatedPublisher(new DurablePublisher(requester));
  const diverged: Error[] = [];
  const recorder = new Recorder(follower, publisher, clock, (error) => diverged.push(error));
  const made = { state, follower, recorder, publisher, diverged };
  running.push(made);
  return made;
}

const supplierOf = (i: Instance, n: number) =>
  i.state.partyId(i.state.view.holder(i.state.point(point(n)), AppointmentRole.SUPPLIER));

async function streamMessages(): Promise<number> {
  const jsm = await jetstreamManager(connections[0]!);
  return (await jsm.streams.info(streams.registration.name)).state.messages;
}

beforeAll(async () => {
  nats = await startNatsServer();
});
beforeEach(async () => {
  // Each test starts from an empty record.
  const nc = await connect({ servers: nats.url });
  await ensureRegistrationStream(nc);
  await (await jetstreamManager(nc)).streams.delete(streams.registration.name);
  await ensureRegistrationStream(nc);
  await nc.close();
});
afterEach(async () => {
  for (const i of running) await i.follower.stop();
  running = [];
});
afterAll(async () => {
  for (const requester of requesters) requester.close();
  for (const nc of connections) await nc.close();
  await nats.stop();
});

describe('two registration instances on one record', () => {
  it('each answers its own write at once and applies the other instance’s', async () => {
    const a = await instance();
    const b = await instance();
    await a.recorder.change((s) => feedRowChanges(s, row(1)));
    // Read-your-writes: acknowledged means applied on the instance that wrote it.
    expect(supplierOf(a, 1)).toBe(OLD);
    await b.recorder.change((s) => feedRowChanges(s, row(2)));
    expect(supplierOf(b, 2)).toBe(OLD);
    await a.follower.waitFor(b.state.lastSeq);
    await b.follower.waitFor(a.state.lastSeq);
    expect(supplierOf(b, 1)).toBe(OLD);
    expect(supplierOf(a, 2)).toBe(OLD);
    // A third instance started now replays both.
    const c = await instance();
    expect([supplierOf(c, 1), supplierOf(c, 2)]).toEqual([OLD, OLD]);
    expect(c.state.lastSeq).toBe(a.state.lastSeq);
  });

  it('decide a conflicting write again after the other instance’s got in first: one switch, the loser refused', async () => {
    const a = await instance();
    const b = await instance();
    await a.recorder.change((s) => feedRowChanges(s, row(3)));
    await b.follower.waitFor(a.state.lastSeq);
    // Both decide against the same state; a's publish is held until b's switch is stored.
    a.publisher.close();
    const first = a.recorder.change((s) =>
      requestSwitchChanges(
        s,
        { mpxn: point(3), gainingSupplierId: GAINING[0]!, effectiveMs: 0 },
        clock.now(),
        cos,
        'sw-a',
      ),
    );
    const refused = first.then(
      () => undefined,
      (error: unknown) => error,
    );
    await b.recorder.change((s) =>
      requestSwitchChanges(
        s,
        { mpxn: point(3), gainingSupplierId: GAINING[1]!, effectiveMs: 0 },
        clock.now(),
        cos,
        'sw-b',
      ),
    );
    a.publisher.open();
    const error = (await refused) as DccError;
    expect(error).toBeInstanceOf(DccError);
    expect(error.status).toBe(GrpcStatus.FAILED_PRECONDITION);
    expect(a.recorder.conflicts).toBe(1);
    await a.follower.waitFor(b.state.lastSeq);
    for (const i of [a, b]) {
      expect([...i.state.switches.keys()]).toEqual(['sw-b']);
      expect(i.state.openSwitch(point(3))?.gainingSupplierId).toBe(GAINING[1]);
    }
  });

  it('store each of many concurrent writes on both instances once, and end with the same state', async () => {
    const a = await instance();
    const b = await instance();
    // Both instances are sent every line (as two feed clients would): each line is applied once, by whichever
    // instance's write the stream took first; the other instance finds it already recorded.
    const lines = Array.from({ length: 40 }, (_, n) => 100 + n);
    const events = await Promise.all(
      [a, b].flatMap((i) => lines.map((n) => i.recorder.change((s) => feedRowChanges(s, row(n))))),
    );
    expect(events.filter((e) => e > 0)).toHaveLength(lines.length);
    expect(await streamMessages()).toBe(lines.length);
    await a.follower.waitFor(b.state.lastSeq);
    await b.follower.waitFor(a.state.lastSeq);
    expect(a.state.view.size).toBe(lines.length);
    expect(b.state.view.size).toBe(lines.length);
    for (const n of lines) expect([supplierOf(a, n), supplierOf(b, n)]).toEqual([OLD, OLD]);
    expect(a.recorder.conflicts + b.recorder.conflicts).toBeGreaterThan(0);
  });

  it('follow a bulk chunk on the other instance, and the writer does not apply its own chunk twice', async () => {
    const a = await instance();
    const b = await instance();
    const chunk = async (from: number) => {
      const { stored } = await a.recorder.batch((apply) => {
        for (let n = from; n < from + 1_500; n++) apply(feedRowChanges(a.state, row(n)));
      });
      return stored;
    };
    // Two chunks pipelined (the second decided while the first is in flight), then a single write after them.
    await Promise.all([chunk(1_000), chunk(2_500)].map(async (s) => (await s) as unknown));
    const stored = await b.recorder.change((s) => feedRowChanges(s, row(1_000, GAINING[0]!, '2024-01-01')));
    expect(stored).toBeGreaterThan(0);
    await a.follower.waitFor(b.state.lastSeq);
    expect(a.diverged).toEqual([]);
    for (const i of [a, b]) {
      expect(i.state.view.size).toBe(3_000);
      // Applied once: one holding of the original supplier and the new one, not a doubled history.
      expect(i.state.view.history(i.state.point(point(1_000)), AppointmentRole.SUPPLIER)).toHaveLength(2);
    }
    expect(a.state.lastSeq).toBe(b.state.lastSeq);
  });

  it('refuse a bulk chunk another instance’s change overtook, and keep that change', async () => {
    const a = await instance();
    const b = await instance();
    a.publisher.close();
    const { stored } = await a.recorder.batch((apply) => apply(feedRowChanges(a.state, row(5))));
    const outcome = stored.then(
      () => undefined,
      (error: unknown) => error,
    );
    await b.recorder.change((s) => feedRowChanges(s, row(6)));
    a.publisher.open();
    expect(((await outcome) as DccError).status).toBe(GrpcStatus.UNAVAILABLE);
    // The writer's state ran ahead of the record: it refuses further work and asks to be rebuilt.
    expect(a.diverged).toHaveLength(1);
    await expect(a.recorder.change((s) => feedRowChanges(s, row(7)))).rejects.toThrow(/ahead of its record/);
    // The record holds b's change only; a new instance (a restart) builds exactly that.
    expect(await streamMessages()).toBe(1);
    const rebuilt = await instance();
    expect(rebuilt.state.view.size).toBe(1);
    expect(supplierOf(rebuilt, 6)).toBe(OLD);
  });
});
