import { Requester } from '@dcc/bus';
import { parseRequestId } from '@dcc/domain';
import { startNatsServer, type NatsServer } from '@dcc/testkit';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CounterGuard } from './counter-guard.js';
import { KvCounterMarks } from './counter-marks.js';

const id = (counter: bigint) => parseRequestId(`90-B3-D5-1F-30-01-00-00:00-DB-12-00-00-00-00-01:${counter}`);

let nats: NatsServer;
const connections: NatsConnection[] = [];
const requesters: Requester[] = [];
const guardOn = async () => {
  const nc = await connect({ servers: nats.url, maxReconnectAttempts: -1 });
  connections.push(nc);
  const requester = new Requester(nc);
  requesters.push(requester);
  return new CounterGuard(10, await KvCounterMarks.open(nc, requester, 1));
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
});
