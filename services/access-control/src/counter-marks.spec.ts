import { Requester } from '@dcc/bus';
import { parseRequestId } from '@dcc/domain';
import { startNatsServer, type NatsServer } from '@dcc/testkit';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kvm } from '@nats-io/kv';
import { CounterFloors } from './counter-floors.js';
import { CounterGuard } from './counter-guard.js';
import { KvCounterFloors, KvCounterMarks } from './counter-marks.js';

const id = (counter: bigint) => parseRequestId(`90-B3-D5-1F-30-01-00-00:00-DB-12-00-00-00-00-01:${counter}`);

let nats: NatsServer;
const connections: NatsConnection[] = [];
const requesters: Requester[] = [];
const HOUR_MS = 60 * 60_000;
/** A new access-control process's guard (nothing in memory), its pairs' marks kept for `windowMs`. */
const guardOn = async (windowMs = HOUR_MS) => {
  const nc = await connect({ servers: nats.url, maxReconnectAttempts: -1 });
  connections.push(nc);
  const requester = new Requester(nc);
  requesters.push(requester);
  const floors = new CounterFloors(windowMs, await KvCounterFloors.open(nc, requester));
  return new CounterGuard(10, await KvCounterMarks.open(nc, requester, windowMs), undefined, floors);
};

beforeAll(async () => {
  nats = await startNatsServer();
});
afterAll(async () => {
  for (const requester of requesters) requester.close();
  for (const nc of connections) await nc.close();
  await nats.stop();
});

describe('durable RequestID high-water marks (JetStream KV)', () => {
  it('refuse a replay after access control and nats-server restarted', async () => {
    const before = await guardOn();
    await before.check(id(7n));
    await before.record(id(7n));
    await nats.restart(); // kill -9 and start again on the same store
    const after = await guardOn(); // a new process: nothing in memory
    await expect(after.check(id(7n))).rejects.toThrow(/not above 7/);
    await expect(after.check(id(6n))).rejects.toThrow(/not above 7/);
    await expect(after.check(id(8n))).resolves.toBeUndefined();
  });

  it('are never lowered by an instance that saw an older mark (compare-and-set)', async () => {
    const a = await guardOn();
    const b = await guardOn();
    await a.check(id(100n));
    await b.check(id(100n)); // both read the same mark (7)
    await a.record(id(120n));
    await b.record(id(110n)); // stale view: must not lower 120
    const c = await guardOn();
    await expect(c.check(id(119n))).rejects.toThrow(/not above 120/);
    await expect(c.check(id(18446744073709551615n))).resolves.toBeUndefined();
  });

  it('are read for many concurrent checks together, each pair answered with its own mark', async () => {
    const pair = (n: number, counter: bigint) =>
      parseRequestId(
        `90-B3-D5-1F-30-01-00-00:00-DB-12-00-00-00-01-${n.toString(16).toUpperCase().padStart(2, '0')}:${counter}`,
      );
    const pairs = Array.from({ length: 200 }, (_, n) => n);
    const writer = await guardOn();
    await Promise.all(pairs.filter((n) => n % 2 === 0).map((n) => writer.record(pair(n, BigInt(1_000 + n)))));
    const reader = await guardOn(); // nothing cached: every check below reads the store
    const checks = pairs.flatMap((n) => [
      reader.check(pair(n, BigInt(1_000 + n))), // a replay where a mark is stored
      reader.check(pair(n, BigInt(1_001 + n))), // the same pair in the same batch, above the mark
    ]);
    // 400 reads of cold pairs are on the way in 4 messages (4 single reads, then batches as replies free slots).
    expect(requesters.at(-1)!.inFlight).toBe(4);
    const outcomes = await Promise.allSettled(checks);
    pairs.forEach((n) => {
      const [replay, next] = [outcomes[2 * n]!, outcomes[2 * n + 1]!];
      expect(replay.status, `pair ${n}`).toBe(n % 2 === 0 ? 'rejected' : 'fulfilled');
      expect(next.status, `pair ${n}`).toBe('fulfilled');
    });
  });

  it("let a pair's mark lapse after the window, and the originator's floor, stored, refuses below it", async () => {
    const windowMs = 3_000;
    const pair = (target: string, counter: bigint) =>
      parseRequestId(`90-B3-D5-1F-30-01-00-00:00-DB-12-00-00-00-02-${target}:${counter}`);
    const first = await guardOn(windowMs);
    await first.check(pair('01', 5_000n));
    await first.record(pair('01', 5_000n));
    await first.record(pair('02', 4_000n));
    // nats-server drops the marks with the window: it holds no state for pairs not addressed within it.
    const nc = connections.at(-1)!;
    const marks = await new Kvm(nc).open('REQUEST_COUNTERS');
    const pending = async () => (await marks.status()).values;
    expect(await pending()).toBeGreaterThan(0);
    const lapsed = Date.now() + 3 * windowMs;
    while ((await pending()) > 0 && Date.now() < lapsed) await new Promise((r) => setTimeout(r, 200));
    expect(await pending()).toBe(0);
    await nats.restart(); // the floors are durable, like the marks
    const later = await guardOn(windowMs);
    await expect(later.check(pair('02', 4_500n))).rejects.toThrow(/not above 5000.*stale/); // its mark lapsed
    await expect(later.check(pair('03', 5_000n))).rejects.toThrow(/not above 5000/); // never addressed
    await expect(later.check(pair('02', 5_001n))).resolves.toBeUndefined();
  });

  it('give a bucket made with another window this one', async () => {
    await guardOn(2 * HOUR_MS);
    const status = await new Kvm(connections.at(-1)!).open('REQUEST_COUNTERS').then((kv) => kv.status());
    expect(status.ttl).toBe(2 * HOUR_MS);
  });
});
