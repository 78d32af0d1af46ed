// Grid feeds end to end over a real nats-server running the configuration the hub generates (each network
// operator in a NATS account of its own): device alerts stored on ALERTS as the adapters store them reach the
// network operator registered for the meter's point on its own grid subjects, by feeder, in protobuf and JSON;
// the server refuses it anything else; a disconnected operator catches up from its durable consumer; an outage
// storm over one feeder gives one summary per window.
import {
  DurablePublisher,
  GRID_JS_API_PREFIX,
  Requester,
  consumers,
  streams,
  subjects,
  type GridFeed,
} from '@dcc/bus';
import { parseEui64, type Eui64 } from '@dcc/domain';
import {
  AlertOccasion,
  GridSimulationServiceClient,
  SimulatedGridEvent,
  UserRole,
  DeviceAlertRaised,
  GridAggregate,
  GridEventKind,
  GridMeterEvent,
  GridOutageSummary,
  VoltageExcursionKind,
} from '@dcc/proto';
import { estateGridConnection } from '@dcc/registry';
import { smets2Adapter } from '@dcc/smets2-adapter';
import { startService } from '@dcc/service-kit';
import { waitFor } from '@dcc/testkit';
import { credentials, type ServiceError } from '@grpc/grpc-js';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import {
  connect,
  errors,
  nkeyAuthenticator,
  type Msg,
  type NatsConnection,
  type PermissionViolationError,
} from '@nats-io/transport-node';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estateLines, HubClient, loadEstateFeed, startLocalHub, type LocalHub } from '../src/index.js';

// The uniform estate gives meters their distributors in turn: even meters A's, odd meters B's. Ten premises per
// feeder, four feeders per substation: meters 0-9 on SS-0000-F1, 10-19 on SS-0000-F2, ..., 40-49 on SS-0001-F1.
const A = parseEui64('90-B3-D5-1F-30-02-00-00');
const B = parseEui64('90-B3-D5-1F-30-06-00-00');
const WINDOW_MS = 400;
const meter = (n: number) =>
  parseEui64(`00-DB-12-00-00-00-00-${n.toString(16).padStart(2, '0').toUpperCase()}`);
const feederOf = (n: number) => estateGridConnection(n).feeder;

let hub: LocalHub;
let hubNc: NatsConnection;
let requester: Requester;
let publisher: DurablePublisher;
const open: NatsConnection[] = [];
let deviceClock = Date.UTC(2026, 0, 1);

beforeAll(async () => {
  hub = await startLocalHub({
    meters: 50,
    parties: { distributors: [A, B] },
    networkOperatorAccounts: [A, B],
    gridFeeds: true,
    env: {
      GRID_SUMMARY_WINDOW_MS: String(WINDOW_MS),
      GRID_AGGREGATE_PERIOD_MS: '1000',
      GRID_NETWORK_OPERATORS: `${A},${B}`,
    },
  });
  hubNc = await connectAs(hub.natsAuthorisation!.hubSeedFile);
  requester = new Requester(hubNc);
  publisher = new DurablePublisher(requester);
});

afterAll(async () => {
  requester?.close();
  await Promise.all(open.map((nc) => nc.close().catch(() => undefined)));
  await hub?.stop();
});

async function connectAs(seedFile: string): Promise<NatsConnection> {
  const seed = new TextEncoder().encode(readFileSync(seedFile, 'utf8').trim());
  const nc = await connect({ servers: hub.nats.url, authenticator: nkeyAuthenticator(seed) });
  open.push(nc);
  return nc;
}

const dno = (id: Eui64) => connectAs(hub.natsAuthorisation!.networkOperatorSeedFiles.get(id)!);

/** Stores a device alert on ALERTS as an adapter does (alert-egress.ts). */
async function raise(n: number, code: string, raisedAtMs = Date.now()): Promise<void> {
  const deviceId = meter(n);
  const atMs = deviceClock++;
  const event: DeviceAlertRaised = {
    deviceId,
    alert: { code, atMs, requestId: '' },
    raisedAtMs,
    occasion: AlertOccasion.ALERT_OCCASION_WAKE,
    commandRequestId: '',
  };
  await publisher.publish(
    subjects.deviceAlert(deviceId),
    DeviceAlertRaised,
    event,
    `${deviceId}:${code}:${atMs}:`,
  );
}

/** Collects what a live subscription receives. */
function collect(nc: NatsConnection, subject: string): Msg[] {
  const got: Msg[] = [];
  const sub = nc.subscribe(subject);
  void (async () => {
    for await (const m of sub) got.push(m);
  })();
  return got;
}

describe('grid feeds', () => {
  it("delivers a network operator's outage, restore and voltage events on its feeders' subjects, in protobuf and JSON", async () => {
    const a = await dno(A);
    const b = await dno(B);
    const forA = collect(a, subjects.gridProtobufOfDno(A));
    const jsonForA = collect(a, subjects.gridJsonOfDno(A));
    const forB = collect(b, subjects.gridOfDno(B));
    await a.flush();
    await b.flush();
    await raise(2, '8F57'); // A's meter 2: supply interrupted
    await raise(12, '802C'); // A's meter 12: voltage sag
    await raise(3, '8F57'); // B's meter 3
    await raise(2, '8F36'); // A's meter 2: restored after a long outage
    await raise(4, '8F66'); // not a network event: no feed
    const perMeter = () =>
      forA.filter((m) => !m.subject.includes('summary') && !m.subject.includes('aggregate'));
    await waitFor("A's three events", () => perMeter().length >= 3, 10_000);
    const events = perMeter().map((m) => [m.subject, GridMeterEvent.decode(m.data)] as const);
    expect(events.map(([s, e]) => [s, e.deviceId, e.kind])).toEqual([
      [subjects.grid(A, 'outage', feederOf(2)), meter(2), GridEventKind.GRID_EVENT_KIND_OUTAGE],
      [subjects.grid(A, 'voltage', feederOf(12)), meter(12), GridEventKind.GRID_EVENT_KIND_VOLTAGE],
      [subjects.grid(A, 'restore', feederOf(2)), meter(2), GridEventKind.GRID_EVENT_KIND_RESTORE],
    ]);
    expect(events[1]![1]).toMatchObject({
      networkOperatorId: A,
      feeder: 'SS-0000-F2',
      substation: 'SS-0000',
      alertCode: '802C',
      voltageExcursion: VoltageExcursionKind.VOLTAGE_EXCURSION_KIND_SAG,
      excursionEnded: false,
    });
    expect(events[2]![1].longOutage).toBe(true);
    await waitFor(
      'the JSON forms',
      () => jsonForA.filter((m) => m.subject.includes('.outage.')).length >= 1,
      5_000,
    );
    const json = jsonForA
      .find((m) => m.subject === subjects.gridJson(A, 'outage', feederOf(2)))!
      .json<Record<string, unknown>>();
    expect(json).toMatchObject({
      networkOperatorId: A,
      deviceId: meter(2),
      kind: 'GRID_EVENT_KIND_OUTAGE',
      alertCode: '8F57',
      feeder: 'SS-0000-F1',
    });
    await waitFor(
      "B's event",
      () => forB.some((m) => m.subject === subjects.grid(B, 'outage', feederOf(3))),
      5_000,
    );
    expect(forB.every((m) => m.subject.startsWith(`grid.${B}.`))).toBe(true);
    expect(forA.every((m) => m.subject.startsWith(`grid.${A}.`))).toBe(true);
  });

  it("refuses a network operator's subscription to another's feeds and its publications into the hub's subjects", async () => {
    const a = await dno(A);
    const refused: PermissionViolationError[] = [];
    void (async () => {
      for await (const s of a.status()) {
        if (s.type === 'error' && s.error instanceof errors.PermissionViolationError) refused.push(s.error);
      }
    })();
    const closed = await a.subscribe(subjects.gridOfDno(B)).closed;
    expect(closed).toBeInstanceOf(errors.PermissionViolationError);
    const attempts = [
      subjects.deviceAlert(meter(2)),
      subjects.grid(A, 'outage', feederOf(2)),
      'dcc.meter.s2.1.x',
    ];
    for (const subject of attempts) a.publish(subject, 'forged');
    await a.flush();
    await waitFor(
      'the refusals',
      () => refused.filter((e) => e.operation === 'publish').length >= attempts.length,
      5_000,
    );
    expect(refused.filter((e) => e.operation === 'publish').map((e) => e.subject)).toEqual(attempts);
  });

  it('lets a network operator that was disconnected catch up every event it missed, from its durable consumer', async () => {
    const readAll = async (): Promise<GridMeterEvent[]> => {
      const nc = await dno(A);
      const js = jetstream(nc, { apiPrefix: GRID_JS_API_PREFIX });
      const consumer = await js.consumers.get(streams.gridFeed(A).name, consumers.gridFeed(A, 'feed'));
      const events: GridMeterEvent[] = [];
      // Until nothing is pending (outage summaries and aggregates come on this consumer too: skipped here).
      while ((await consumer.info()).num_pending > 0) {
        const batch = await consumer.fetch({ max_messages: 500, expires: 1_000 });
        for await (const m of batch) {
          if (/\.(outage|restore|voltage)\./.test(m.subject)) events.push(GridMeterEvent.decode(m.data));
          await m.ackAck();
        }
      }
      await nc.close();
      return events;
    };
    await readAll(); // up to date
    const missed: [number, string][] = [
      [20, '8F57'],
      [22, '8F57'],
      [24, '8003'],
      [20, '8F35'],
      [26, '8099'],
    ];
    for (const [n, code] of missed) await raise(n, code);
    await raise(21, '8F57'); // B's: never in A's stream
    // Stored, not read: the operator is away.
    const jsm = await jetstreamManager(hubNc);
    await waitFor(
      'grid-feeds to store them',
      async () =>
        (await jsm.consumers.info(streams.gridFeed(A).name, consumers.gridFeed(A, 'feed'))).num_pending >=
        missed.length,
      10_000,
    );
    const caughtUp = await readAll();
    // Every missed event, once; in order per meter (different meters' alerts are handled concurrently).
    const key = (device: string, code: string) => `${device} ${code}`;
    expect(caughtUp.map((e) => key(e.deviceId, e.alertCode)).sort()).toEqual(
      missed.map(([n, code]) => key(meter(n), code)).sort(),
    );
    expect(caughtUp.filter((e) => e.deviceId === meter(20)).map((e) => e.alertCode)).toEqual([
      '8F57',
      '8F35',
    ]);
  });

  it('summarises an outage storm over one feeder as one event per window, the per-meter detail on its own subject', async () => {
    const a = await dno(A);
    const feeder = feederOf(30); // meters 30-39; A's: 30, 32, 34, 36, 38
    const summaries = collect(a, subjects.grid(A, 'outage-summary', feeder));
    const detail = collect(a, subjects.grid(A, 'outage', feeder));
    const aggregates = collect(a, subjects.grid(A, 'aggregate', feeder));
    const substation = collect(
      a,
      subjects.grid(A, 'substation-aggregate', estateGridConnection(30).substation),
    );
    await a.flush();
    const started = Date.now();
    const CYCLES = 40;
    const outages = CYCLES * 5;
    for (let c = 0; c < CYCLES; c++) {
      for (const n of [30, 32, 34, 36, 38]) await raise(n, '8F57');
      // All but the last cycle end with the supply back; the last leaves every meter off supply.
      if (c < CYCLES - 1) for (const n of [30, 32, 34, 36, 38]) await raise(n, '8F35');
    }
    await waitFor('every per-meter outage', () => detail.length === outages, 20_000);
    const windows = Math.ceil((Date.now() - started) / WINDOW_MS) + 2;
    await waitFor(
      'the summaries to count every outage',
      () => summaries.reduce((sum, m) => sum + GridOutageSummary.decode(m.data).outages, 0) === outages,
      5_000,
    );
    const decoded = summaries.map((m) => GridOutageSummary.decode(m.data));
    // Bounded by time, not by meters: at most one summary per window.
    expect(decoded.length).toBeLessThanOrEqual(windows);
    expect(decoded.length).toBeLessThan(outages / 10);
    expect(decoded.at(-1)!.metersOffSupply).toBe(5);
    expect(decoded.every((s) => s.feeder === feeder && s.sampleMpxns.length <= 20)).toBe(true);
    await waitFor(
      'a feeder aggregate with every meter off supply',
      () => aggregates.some((m) => GridAggregate.decode(m.data).metersOffSupply === 5),
      5_000,
    );
    await waitFor(
      'its substation aggregate',
      () => substation.some((m) => GridAggregate.decode(m.data).metersOffSupply >= 5),
      5_000,
    );
    // The durable summary consumer holds the summaries and aggregates only: none of the storm's detail.
    const js = jetstream(a, { apiPrefix: GRID_JS_API_PREFIX });
    const summaryConsumer = await js.consumers.get(
      streams.gridFeed(A).name,
      consumers.gridFeed(A, 'summary'),
    );
    const held: string[] = [];
    while ((await summaryConsumer.info()).num_pending > 0) {
      for await (const m of await summaryConsumer.fetch({ max_messages: 500, expires: 1_000 })) {
        held.push(m.subject.split('.').slice(2).join('.'));
        m.ack();
      }
    }
    expect(new Set(held.map((s) => s.split('.')[0]))).toEqual(
      new Set(['outage-summary', 'aggregate', 'substation-aggregate']),
    );
    expect(held.filter((s) => s === `outage-summary.${feeder}`)).toHaveLength(decoded.length);
  });

  it("raises a feeder outage, restore and voltage excursion at the simulated meters (operations RPC), which reach the feeder's operator", async () => {
    const feeder = feederOf(40); // meters 40-49: A's even, B's odd
    const a = await dno(A);
    const events = collect(a, `grid.${A}.*.${feeder}`);
    await a.flush();
    const simulation = new GridSimulationServiceClient(
      `127.0.0.1:${hub.adapter.grpcPort}`,
      credentials.createInsecure(),
    );
    const call = (event: SimulatedGridEvent, extra: object = {}) =>
      new Promise<number>((resolve, reject) =>
        simulation.raiseGridEvent(
          { feeder, substation: '', event, rmsVoltageV: 0, durationMs: 0, ...extra },
          (e, r) => (e ? reject(e) : resolve(r.meters)),
        ),
      );
    const ofKind = (feed: GridFeed) =>
      events
        .filter((m) => m.subject === subjects.grid(A, feed, feeder))
        .map((m) => GridMeterEvent.decode(m.data));
    try {
      expect(await call(SimulatedGridEvent.SIMULATED_GRID_EVENT_OUTAGE)).toBe(10);
      await waitFor("A's five meters' outages", () => ofKind('outage').length === 5, 15_000);
      expect(
        ofKind('outage')
          .map((e) => e.deviceId)
          .sort(),
      ).toEqual([40, 42, 44, 46, 48].map(meter));
      expect(ofKind('outage').every((e) => e.alertCode === '8F57')).toBe(true);
      expect(await call(SimulatedGridEvent.SIMULATED_GRID_EVENT_RESTORE)).toBe(10);
      await waitFor('their restores', () => ofKind('restore').length === 5, 15_000);
      expect(ofKind('restore').every((e) => e.alertCode === '8F35')).toBe(true);
      // 270 V for a minute: over the average RMS over-voltage (264 V) and swell (253 V) thresholds, 30 s periods.
      await call(SimulatedGridEvent.SIMULATED_GRID_EVENT_VOLTAGE, { rmsVoltageV: 270, durationMs: 60_000 });
      await waitFor('the voltage events', () => ofKind('voltage').length === 20, 15_000);
      expect(new Set(ofKind('voltage').map((e) => e.alertCode))).toEqual(
        new Set(['8002', '8024', '8085', '8091']),
      );
      const refusal = (extra: object) =>
        call(SimulatedGridEvent.SIMULATED_GRID_EVENT_VOLTAGE, extra).then(
          () => undefined,
          (e: ServiceError) => e.code,
        );
      expect(await refusal({ rmsVoltageV: 270, durationMs: 10 })).toBe(3); // INVALID_ARGUMENT
      expect(await refusal({ feeder: 'SS-9999-F1', rmsVoltageV: 270, durationMs: 60_000 })).toBe(5); // NOT_FOUND
      expect(await refusal({ feeder: 'a.b', rmsVoltageV: 270, durationMs: 60_000 })).toBe(3);
    } finally {
      simulation.close();
    }
  });

  it('refuses the grid simulation to a caller that is not an operator outside plaintext development mode', async () => {
    const strict = await startService(smets2Adapter, {
      ...hub.env,
      INSTANCE_ID: 'strict-grid-simulation',
      OPERATIONS_API_PLAINTEXT: 'false',
    });
    const other = new GridSimulationServiceClient(
      `127.0.0.1:${strict.grpcPort}`,
      credentials.createInsecure(),
    );
    try {
      const refusal = await new Promise<unknown>((resolve) =>
        other.raiseGridEvent(
          {
            feeder: feederOf(40),
            substation: '',
            event: SimulatedGridEvent.SIMULATED_GRID_EVENT_OUTAGE,
            rmsVoltageV: 0,
            durationMs: 0,
          },
          (error) => resolve(error),
        ),
      );
      expect(refusal).toMatchObject({ code: 16 }); // UNAUTHENTICATED: no operator certificate
    } finally {
      other.close();
      await strict.stop();
    }
  });

  it("follows a change of network operator from its effective time: an alert raised before it stays the former operator's", async () => {
    const n = 14; // A's meter on SS-0000-F2
    const effective = Math.floor(Date.now() / 1000) * 1000 - 60_000;
    const line = JSON.parse(estateLines(50, 'uniform', { distributors: [A, B] })[n]!) as Record<
      string,
      unknown
    >;
    expect((line.device as { id: string }).id).toBe(meter(n));
    line.networkOperator = { party: B, from: new Date(effective).toISOString() };
    await loadEstateFeed(`127.0.0.1:${hub.registration!.grpcPort}`, [JSON.stringify(line)]);
    const a = await dno(A);
    const b = await dno(B);
    const forA = collect(a, subjects.gridFeedOfDno(A, 'voltage'));
    const forB = collect(b, subjects.gridFeedOfDno(B, 'voltage'));
    await a.flush();
    await b.flush();
    await raise(n, '8099', effective - 30_000); // sag ended, before the change: A's
    await raise(n, '8091', effective + 1_000); // swell ended, after: B's
    const of = (got: Msg[]) =>
      got.map((m) => GridMeterEvent.decode(m.data)).filter((e) => e.deviceId === meter(n));
    await waitFor('both events', () => of(forA).length + of(forB).length === 2, 10_000);
    expect(of(forA).map((e) => [e.alertCode, e.networkOperatorId, e.feeder])).toEqual([
      ['8099', A, feederOf(n)],
    ]);
    expect(of(forB).map((e) => [e.alertCode, e.networkOperatorId, e.feeder])).toEqual([
      ['8091', B, feederOf(n)],
    ]);
  });

  it("raises voltage events by the thresholds the meter's network operator set through 6.5 (ED only)", async () => {
    const feeder = feederOf(40);
    const client = new HubClient(hub.address);
    const a = await dno(A);
    const voltage = collect(a, subjects.grid(A, 'voltage', feeder));
    await a.flush();
    const thresholds = (user: string, role: UserRole, counter: number) =>
      client.submit({
        requestId: `${user}:${meter(40)}:${counter}`,
        commandVariant: 1,
        serviceReferenceVariant: '6.5',
        userRole: role,
        body: {
          $case: 'updateDeviceConfigurationVoltage',
          value: { averageOverV: 250, swellV: 248, polyPhaseVoltageSettings: [] },
        },
      });
    // A supplier may not set a meter's voltage thresholds: only its electricity distributor (E2).
    await expect(
      thresholds('90-B3-D5-1F-30-01-00-00', UserRole.USER_ROLE_IMPORT_SUPPLIER, 900_001),
    ).rejects.toMatchObject({ responseCode: 'E2' });
    expect((await thresholds(A, UserRole.USER_ROLE_ELECTRICITY_DISTRIBUTOR, 900_001)).responseCode).toBe(
      'I99',
    );
    // 252 V for a minute: over meter 40's new thresholds, under the others' defaults (264 V, 253 V).
    const simulation = new GridSimulationServiceClient(
      `127.0.0.1:${hub.adapter.grpcPort}`,
      credentials.createInsecure(),
    );
    try {
      await new Promise((resolve, reject) =>
        simulation.raiseGridEvent(
          {
            feeder,
            substation: '',
            event: SimulatedGridEvent.SIMULATED_GRID_EVENT_VOLTAGE,
            rmsVoltageV: 252,
            durationMs: 60_000,
          },
          (e, r) => (e ? reject(e) : resolve(r)),
        ),
      );
      await waitFor('meter 40 voltage events', () => voltage.length >= 4, 15_000);
      await new Promise((r) => setTimeout(r, 500)); // nothing more comes
      const events = voltage.map((m) => GridMeterEvent.decode(m.data));
      expect(events.map((e) => e.deviceId)).toEqual(Array(4).fill(meter(40)));
      expect(events.map((e) => e.alertCode).sort()).toEqual(['8002', '8024', '8085', '8091']);
    } finally {
      simulation.close();
      client.close();
    }
  });
});
