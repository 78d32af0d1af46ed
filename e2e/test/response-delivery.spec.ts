// The Responses call's delivery promises (service_requests_api.proto): a response leaves the User's stream only
// when the User confirmed it, nothing confirmed comes twice unless something crashed, and several calls of one
// User are competing readers. Responses are stored on the RESPONSES stream directly, as the adapters store them.
import { accessControl } from '@dcc/access-control';
import { consumers, DurablePublisher, ensureHubStreams, Requester, streams, subjects } from '@dcc/bus';
import { parseEui64, type Eui64 } from '@dcc/domain';
import { ServiceResponse } from '@dcc/proto';
import { startService, type RunningService } from '@dcc/service-kit';
import { startNatsServer, startServiceProcess, waitFor, type NatsServer } from '@dcc/testkit';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubClient } from '../src/index.js';

// One User per test, so what one test leaves unconfirmed never reaches another.
const userId = (n: number) => parseEui64(`90-B3-D5-1F-30-1${n}-00-00`, 'user');
const [CRASHING, LAZY, CONFUSED, SHARED, HANDED_OVER, RESTARTED, DRAINED, FINISHED, PRUNED] = [
  1, 2, 3, 4, 5, 6, 7, 8, 9,
].map(userId) as [Eui64, Eui64, Eui64, Eui64, Eui64, Eui64, Eui64, Eui64, Eui64];
const USER_IDS = [CRASHING, LAZY, CONFUSED, SHARED, HANDED_OVER, RESTARTED, DRAINED, FINISHED, PRUNED];

let nats: NatsServer;
let gateway: RunningService;
let address: string;
let nc: NatsConnection;
let requester: Requester;
let publisher: DurablePublisher;
let next = 1;

beforeAll(async () => {
  nats = await startNatsServer();
  nc = await connect({ servers: nats.url, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
  await ensureHubStreams(nc);
  requester = new Requester(nc);
  publisher = new DurablePublisher(requester);
  gateway = await startService(accessControl, {
    NATS_URL: nats.url,
    GRPC_HOST: '127.0.0.1',
    GRPC_PORT: '0',
    LOG_LEVEL: 'error',
    USERS: JSON.stringify(USER_IDS.map((id) => ({ id, roles: ['IS'] }))),
    CONFIRMED_RESPONSES_PRUNE_MS: '200',
    CONFIRMED_RESPONSES_READERS: 'none', // no reporting service here
  });
  address = `127.0.0.1:${gateway.grpcPort}`;
});

afterAll(async () => {
  await gateway.stop();
  requester.close();
  await nc.close();
  await nats.stop();
});

/** Stores `count` responses for the User, as an adapter does; resolves with their ResponseIDs. */
async function store(userId: Eui64, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const counter = next++;
    const responseId = `00-DB-12-00-00-00-00-01:${userId}:${counter}`;
    const response = ServiceResponse.fromPartial({
      requestId: `${userId}:00-DB-12-00-00-00-00-01:${counter}`,
      responseId,
      responseCode: 'I0',
      serviceReferenceVariant: '4.1.1',
    });
    await waitFor('the response to be stored', () =>
      publisher.publish(subjects.userResponses(userId), ServiceResponse, response, responseId).then(
        () => true,
        () => false,
      ),
    );
    ids.push(responseId);
  }
  return ids;
}

/** Responses RESPONSES still stores for the User. */
async function storedFor(userId: Eui64): Promise<number> {
  const subject = subjects.userResponses(userId);
  const jsm = await jetstreamManager(nc);
  const info = await jsm.streams.info(streams.responses.name, { subjects_filter: subject });
  return info.state.subjects?.[subject] ?? 0;
}

async function consumerState(userId: Eui64) {
  const jsm = await jetstreamManager(nc);
  return jsm.consumers.info(streams.responses.name, consumers.userResponses(userId));
}

describe('Responses: the User confirms what it has', () => {
  it('a reader stopped and then killed (SIGSTOP, SIGKILL) loses nothing: what it did not confirm comes again', async () => {
    const ids = await store(CRASHING, 3_000);
    const reader = startServiceProcess('e2e/src/response-reader.ts', {}, [address, CRASHING]);
    const recorded = () =>
      reader
        .output()
        .split('\n')
        .filter((line) => /^\d+ /.test(line))
        .map((line) => line.split(' ')[1]!);
    await waitFor('the reader to record some responses', () => recorded().length >= 300, 60_000);
    // Stopped: the hub keeps writing into the socket until its window is full; none of that is confirmed.
    reader.child.kill('SIGSTOP');
    await new Promise((r) => setTimeout(r, 1_500));
    reader.child.kill('SIGKILL');
    await reader.exited;
    const before = new Set(recorded());
    expect(before.size).toBeLessThan(ids.length);

    const after = new Set<string>();
    const client = new HubClient(address);
    const subscription = client.responses(CRASHING, (r) => after.add(r.responseId));
    const missing = () => ids.filter((id) => !before.has(id) && !after.has(id));
    await waitFor(
      'every stored response in the first or the second reader',
      () => missing().length === 0,
      30_000,
    );
    subscription.cancel();
    client.close();
    expect(missing()).toEqual([]);
  }, 120_000);

  it('a client that never confirms gets at most its window and loses nothing; the next call gets them again', async () => {
    const ids = await store(LAZY, 20);
    const client = new HubClient(address);
    const first: string[] = [];
    const lazy = client.responses(LAZY, (r) => first.push(r.responseId), {
      window: 5,
      confirm: 'manual',
    });
    await waitFor('the window to fill', () => first.length === 5);
    await new Promise((r) => setTimeout(r, 500));
    expect(first).toEqual(ids.slice(0, 5)); // no more than the window, in stream order
    lazy.cancel();
    await lazy.ended;

    const second: string[] = [];
    const eager = client.responses(LAZY, (r) => second.push(r.responseId));
    await waitFor('all 20 on the next call', () => second.length === 20);
    await new Promise((r) => setTimeout(r, 300));
    // Every one, once; redelivered ones may come before or after the rest (the cancel races the next call).
    expect(second).toHaveLength(20);
    expect(new Set(second)).toEqual(new Set(ids));
    eager.cancel();
    client.close();
  });

  it('a graceful shutdown ends the call; what was not confirmed is delivered by the next instance', async () => {
    const ids = await store(DRAINED, 30);
    const leaving = await startService(accessControl, {
      NATS_URL: nats.url,
      GRPC_HOST: '127.0.0.1',
      GRPC_PORT: '0',
      LOG_LEVEL: 'error',
      USERS: JSON.stringify(USER_IDS.map((id) => ({ id, roles: ['IS'] }))),
    });
    const client = new HubClient(`127.0.0.1:${leaving.grpcPort}`);
    const first: string[] = [];
    const subscription = client.responses(DRAINED, (r) => first.push(r.responseId), {
      window: 20,
      confirm: 'manual',
    });
    await waitFor('the window to fill', () => first.length === 20);
    subscription.confirm(8);
    await new Promise((r) => setTimeout(r, 100));
    const stopping = Date.now();
    await leaving.stop();
    expect(await subscription.ended).toBeUndefined();
    expect(Date.now() - stopping).toBeLessThan(10_000); // the 2 s grace, not the drain timeout
    client.close();

    const other = new HubClient(address);
    const rest: string[] = [];
    const next = other.responses(DRAINED, (r) => rest.push(r.responseId));
    await waitFor('the 22 not confirmed', () => rest.length === 22);
    await new Promise((r) => setTimeout(r, 300));
    expect(rest).toHaveLength(22);
    expect(new Set(rest)).toEqual(new Set(ids.slice(8)));
    next.cancel();
    other.close();
  });

  it('a half-close right after the last confirmation keeps it: nothing confirmed comes again', async () => {
    const ids = await store(FINISHED, 10);
    const client = new HubClient(address);
    const first: string[] = [];
    const subscription = client.responses(FINISHED, (r) => first.push(r.responseId), { confirm: 'manual' });
    await waitFor('all 10', () => first.length === 10);
    subscription.confirm(10);
    subscription.end();
    expect(await subscription.ended).toBeUndefined();

    const later = await store(FINISHED, 1);
    const second: string[] = [];
    const again = client.responses(FINISHED, (r) => second.push(r.responseId));
    await waitFor('the one stored later', () => second.length === 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(second).toEqual(later);
    expect(first).toEqual(ids);
    again.cancel();
    client.close();
  });

  it('a confirmed response leaves RESPONSES once every other reader of it has read it too; nothing else does', async () => {
    const neverConnected = parseEui64('90-B3-D5-1F-30-20-00-00', 'user');
    await store(neverConnected, 3);
    await store(PRUNED, 6);
    // Another reader of the User's subject, as prepayment follows a supplier's answers: it has read two.
    const jsm = await jetstreamManager(nc);
    await jsm.consumers.add(streams.responses.name, {
      durable_name: 'another-reader',
      filter_subject: subjects.userResponses(PRUNED),
      ack_policy: AckPolicy.Explicit,
    });
    const reader = await jetstream(nc).consumers.get(streams.responses.name, 'another-reader');
    const readTwo = await reader.fetch({ max_messages: 2, expires: 2_000 });
    for await (const m of readTwo) m.ack();
    await nc.flush();

    const client = new HubClient(address);
    const received: string[] = [];
    const subscription = client.responses(PRUNED, (r) => received.push(r.responseId), { confirm: 'manual' });
    await waitFor('all 6', () => received.length === 6);
    subscription.confirm(4);
    subscription.end();
    await subscription.ended;
    // The User confirmed four, the other reader read two: the two both have are removed, no more.
    await waitFor('the two read by both to be removed', async () => (await storedFor(PRUNED)) === 4, 10_000);
    const readRest = await reader.fetch({ max_messages: 4, expires: 2_000 });
    for await (const m of readRest) m.ack();
    // Now what the User confirmed goes too; the two it did not confirm stay for its next call.
    await waitFor('the confirmed ones to be removed', async () => (await storedFor(PRUNED)) === 2, 10_000);
    await new Promise((r) => setTimeout(r, 600)); // three more rounds remove nothing more
    expect(await storedFor(PRUNED)).toBe(2);
    // A User that never opened a call keeps everything (no consumer: nothing confirmed).
    expect(await storedFor(neverConnected)).toBe(3);
    client.close();
  });

  it('refuses a confirmation beyond what was sent (INVALID_ARGUMENT)', async () => {
    const client = new HubClient(address);
    const subscription = client.responses(CONFUSED, () => undefined, { confirm: 'manual' });
    subscription.confirm(7);
    const error = await subscription.ended;
    expect(error?.status).toBe(3);
    expect(error?.message).toMatch(/confirm_through 7 is beyond/);
    client.close();
  });
});

describe('Responses: competing readers', () => {
  it('two calls of one User share its responses: each response goes to one of them, none to both', async () => {
    const client = new HubClient(address);
    const a: string[] = [];
    const b: string[] = [];
    const readers = [
      client.responses(SHARED, (r) => a.push(r.responseId), { window: 10 }),
      client.responses(SHARED, (r) => b.push(r.responseId), { window: 10 }),
    ];
    const ids = await store(SHARED, 400);
    await waitFor('all 400 across the two calls', () => a.length + b.length >= 400, 20_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(a.length + b.length).toBe(400);
    expect(new Set([...a, ...b])).toEqual(new Set(ids));
    expect(a.length).toBeGreaterThan(0);
    expect(b.length).toBeGreaterThan(0);
    for (const reader of readers) reader.cancel();
    client.close();
  });

  it('what one call leaves unconfirmed goes to the other when it ends', async () => {
    const client = new HubClient(address);
    const a: string[] = [];
    const b: string[] = [];
    const ids = await store(HANDED_OVER, 20);
    const stuck = client.responses(HANDED_OVER, (r) => a.push(r.responseId), {
      window: 5,
      confirm: 'manual',
    });
    await waitFor('the first call to hold its window', () => a.length === 5);
    const other = client.responses(HANDED_OVER, (r) => b.push(r.responseId));
    await waitFor('the other 15 on the second call', () => b.length === 15);
    expect(b.filter((id) => a.includes(id))).toEqual([]);
    stuck.cancel();
    await waitFor('the first call’s 5 on the second call', () => b.length === 20);
    expect(new Set(b)).toEqual(new Set(ids));
    other.cancel();
    client.close();
  });
});

describe('Responses: no duplicates without a crash of the hub', () => {
  it('after nats-server is killed and restarted, nothing confirmed before the kill is delivered again', async () => {
    const client = new HubClient(address);
    const seen = new Map<string, number>();
    const subscription = client.responses(RESTARTED, (r) =>
      seen.set(r.responseId, (seen.get(r.responseId) ?? 0) + 1),
    );
    const ids = await store(RESTARTED, 500);
    await waitFor('all 500 received', () => seen.size === 500, 30_000);
    // The confirmations and acknowledgements of the last ones are on their way: kill the store now.
    await nats.kill();
    await nats.restart();
    const more = await store(RESTARTED, 50);
    await waitFor('the 50 stored after the restart', () => more.every((id) => seen.has(id)), 30_000);
    // Whatever acknowledgement the store lost comes back after its ack wait (30 s) and must be dropped.
    await waitFor(
      'the User’s consumer to have nothing pending',
      async () => {
        const info = await consumerState(RESTARTED).catch(() => undefined);
        return info !== undefined && info.num_ack_pending === 0 && info.num_pending === 0;
      },
      45_000,
      250,
    );
    subscription.cancel();
    client.close();
    expect([...ids, ...more].every((id) => seen.get(id) === 1)).toBe(true);
    expect([...seen.values()].filter((n) => n > 1)).toEqual([]);
  }, 90_000);
});
