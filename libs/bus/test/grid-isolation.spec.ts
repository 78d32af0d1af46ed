import { parseEui64, type Eui64 } from '@dcc/domain';
import { startNatsServer, waitFor, type NatsServer } from '@dcc/testkit';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import {
  connect,
  errors,
  nanos,
  type NatsConnection,
  type PermissionViolationError,
} from '@nats-io/transport-node';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectWithSeed, permissionViolations } from './nats-identity.js';
import {
  consumers,
  ensureGridFeed,
  GRID_JS_API_PREFIX,
  streams,
  subjects,
  writeNatsAuthorisation,
  type NatsAuthorisationFiles,
} from '../src/index.js';

// nats-server runs the configuration the hub generates; every refusal below comes from the server itself.
const A = parseEui64('90-B3-D5-1F-30-02-00-00');
const B = parseEui64('90-B3-D5-1F-30-02-00-01');

let dir: string;
let files: NatsAuthorisationFiles;
let server: NatsServer;
let hub: NatsConnection;
const open: NatsConnection[] = [];

async function connectAs(file: string): Promise<NatsConnection> {
  const nc = await connectWithSeed(server.url, file);
  open.push(nc);
  return nc;
}

const dno = (id: Eui64) => connectAs(files.networkOperatorSeedFiles.get(id)!);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dcc-nats-auth-'));
  files = writeNatsAuthorisation(dir, [A, B]);
  server = await startNatsServer({ config: readFileSync(files.configFile, 'utf8') });
  hub = await connectAs(files.hubSeedFile);
  for (const id of [A, B]) await ensureGridFeed(hub, id);
});

afterAll(async () => {
  await Promise.all(open.map((nc) => nc.close()));
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('generated NATS authorisation', () => {
  it('writes each seed readable by its owner only, and keeps it across regenerations', () => {
    for (const file of [files.hubSeedFile, ...files.networkOperatorSeedFiles.values()]) {
      expect(statSync(file).mode & 0o777).toBe(0o600);
    }
    const before = readFileSync(files.networkOperatorSeedFiles.get(A)!, 'utf8');
    const again = writeNatsAuthorisation(dir, [A, B]);
    expect(readFileSync(again.networkOperatorSeedFiles.get(A)!, 'utf8')).toBe(before);
    expect(readFileSync(again.configFile, 'utf8')).not.toContain(before.trim());
  });

  it('refuses a connection without credentials', async () => {
    await expect(connect({ servers: server.url, maxReconnectAttempts: 0 })).rejects.toThrow(/Authorization/i);
  });

  it('delivers what the hub publishes on a DNO grid subject to that DNO', async () => {
    const a = await dno(A);
    const sub = a.subscribe(subjects.gridOfDno(A));
    await a.flush();
    hub.publish(subjects.grid(A, 'outage', 'feeder-7'), 'power lost');
    for await (const m of sub) {
      expect(m.subject).toBe(`grid.${A}.outage.feeder-7`);
      expect(m.string()).toBe('power lost');
      break;
    }
  });

  it("refuses DNO A's subscription to DNO B's subjects and to anything but its feeds and inboxes", async () => {
    const a = await dno(A);
    for (const subject of [
      subjects.gridOfDno(B),
      subjects.gridFeedOfDno(B, 'voltage'),
      'grid.>',
      '$JS.API.>',
      'dcc.>',
    ]) {
      const closed = await a.subscribe(subject).closed;
      expect(closed).toBeInstanceOf(errors.PermissionViolationError);
      expect((closed as PermissionViolationError).operation).toBe('subscription');
      expect((closed as PermissionViolationError).subject).toBe(subject);
    }
  });

  it("refuses DNO A's publications into hub subjects and into its own grid subjects", async () => {
    const watched = hub.subscribe('>');
    const arrived: string[] = [];
    void (async () => {
      for await (const m of watched) arrived.push(m.subject);
    })();
    await hub.flush();
    const a = await dno(A);
    const refused = permissionViolations(a);
    const attempts = [
      'dcc.meter.s2.1.x',
      // registration's handlers answer the hub's own services only (8.12.x saved logs and restores)
      subjects.registrationDeviceLog,
      subjects.registrationDeviceLogRestored,
      subjects.userResponses(B),
      subjects.grid(A, 'outage', 'x'),
      'grid.x',
      `$JS.API.STREAM.CREATE.X`,
      `$JS.API.CONSUMER.MSG.NEXT.${streams.gridFeed(A).name}.${consumers.gridFeed(A)}`,
      `${GRID_JS_API_PREFIX}.CONSUMER.MSG.NEXT.${streams.gridFeed(B).name}.${consumers.gridFeed(B)}`,
      `$JS.ACK.${streams.gridFeed(B).name}.x`,
    ];
    for (const subject of attempts) a.publish(subject, 'forged');
    await a.flush();
    await waitFor('the server to refuse every publication', () => refused.length === attempts.length, 5_000);
    expect(refused.map((e) => [e.operation, e.subject])).toEqual(attempts.map((s) => ['publish', s]));
    await hub.flush();
    expect(arrived.filter((s) => attempts.includes(s))).toEqual([]);
    watched.unsubscribe();
  });

  it('lets the hub user publish and subscribe to every subject', async () => {
    const other = await connectAs(files.hubSeedFile);
    const refused = permissionViolations(other);
    const sub = other.subscribe('>');
    await other.flush();
    const sent = ['dcc.meter.s2.1.x', subjects.grid(B, 'voltage', 'region-1'), '_INBOX.abc', '$JS.EVENT.x'];
    for (const s of sent) hub.publish(s, 'x');
    const received: string[] = [];
    for await (const m of sub) {
      if (sent.includes(m.subject)) received.push(m.subject);
      if (received.length === sent.length) break;
    }
    expect(received).toEqual(sent);
    expect(refused).toEqual([]);
  });

  it("answers a DNO's pull in the DNO's own account, whatever reply subject it names", async () => {
    await jetstream(hub).publish(subjects.grid(A, 'restore', 'feeder-7'), 'restored');
    const watched = hub.subscribe('dcc.>');
    const arrived: string[] = [];
    void (async () => {
      for await (const m of watched) arrived.push(m.subject);
    })();
    await hub.flush();
    const a = await dno(A);
    const refused = permissionViolations(a);
    // The pull is allowed; across the import the server replaces its reply subject with one of its own and
    // answers into A's account (where nobody listens on that subject), never into the hub's.
    const next = `${GRID_JS_API_PREFIX}.CONSUMER.MSG.NEXT.${streams.gridFeed(A).name}.${consumers.gridFeed(A)}`;
    for (const reply of ['dcc.meter.s2.1.x', subjects.userResponses(A), '$JS.API.STREAM.DELETE.ALERTS']) {
      a.publish(next, JSON.stringify({ batch: 1, expires: nanos(500) }), { reply });
    }
    await a.flush();
    await new Promise((r) => setTimeout(r, 1_000));
    await hub.flush();
    expect(arrived).toEqual([]);
    expect(refused).toEqual([]);
    // The pulls were served (the events are delivered, awaiting an acknowledgement that will not come).
    const info = await (
      await jetstreamManager(hub)
    ).consumers.info(streams.gridFeed(A).name, consumers.gridFeed(A));
    expect(info.num_ack_pending).toBeGreaterThan(0);
    watched.unsubscribe();
  });

  it('lets a DNO catch up from its durable consumer every event published while it was away', async () => {
    const js = jetstream(hub);
    const name = streams.gridFeed(B).name;
    const durable = consumers.gridFeed(B);
    const read = async (count: number): Promise<string[]> => {
      const b = await dno(B);
      const consumer = await jetstream(b, { apiPrefix: GRID_JS_API_PREFIX }).consumers.get(name, durable);
      const got: string[] = [];
      const messages = await consumer.consume({ max_messages: 10 });
      for await (const m of messages) {
        got.push(m.string());
        await m.ackAck();
        if (got.length === count) break;
      }
      await b.close();
      return got;
    };
    await (await jetstreamManager(hub)).streams.purge(name); // what earlier tests published
    for (let i = 0; i < 3; i++) await js.publish(subjects.grid(B, 'outage', 'feeder-1'), `first ${i}`);
    expect(await read(3)).toEqual(['first 0', 'first 1', 'first 2']);
    // Disconnected: the hub goes on publishing; the JSON form is another consumer's and is not in this one.
    for (let i = 0; i < 5; i++) {
      await js.publish(subjects.grid(B, 'voltage', 'feeder-2'), `missed ${i}`);
      await js.publish(subjects.gridJson(B, 'voltage', 'feeder-2'), `{"missed":${i}}`);
    }
    expect(await read(5)).toEqual(['missed 0', 'missed 1', 'missed 2', 'missed 3', 'missed 4']);
    const info = await (await jetstreamManager(hub)).consumers.info(name, durable);
    expect(info.num_pending + info.num_ack_pending).toBe(0);
  });
});

describe('grid subjects', () => {
  it('builds grid.<dnoId>.<feed>.<area> and refuses an area that is not one token', () => {
    expect(subjects.grid(A, 'voltage', 'substation_12-north')).toBe(
      'grid.90-B3-D5-1F-30-02-00-00.voltage.substation_12-north',
    );
    expect(subjects.gridFeedOfDno(A, 'aggregate')).toBe('grid.90-B3-D5-1F-30-02-00-00.aggregate.*');
    expect(subjects.gridJson(A, 'outage', 'F1')).toBe('grid.90-B3-D5-1F-30-02-00-00.outage.F1.json');
    expect(streams.gridFeed(A)).toEqual({
      name: 'GRID_90-B3-D5-1F-30-02-00-00',
      subjects: [subjects.gridOfDno(A)],
    });
    for (const area of ['feeder.7', 'region-*', '>', 'a b', '']) {
      expect(() => subjects.grid(A, 'outage', area)).toThrow(/not a NATS subject token/);
    }
  });
});
