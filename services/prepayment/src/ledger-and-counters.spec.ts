import { Requester } from '@dcc/bus';
import { TopUpStage, type TopUpRecord } from '@dcc/proto';
import { startNatsServer, type NatsServer } from '@dcc/testkit';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ledger, receivedRecord } from './ledger.js';
import { UtrnCounters } from './utrn-counters.js';

const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
const DEVICE = '00-DB-12-00-00-00-00-01';
const CHANNEL = '90-B3-D5-1F-30-00-00-04';

let nats: NatsServer;
const connections: NatsConnection[] = [];
const requesters: Requester[] = [];
/** A new process's view of the stores: its own connection, nothing in memory. */
async function open() {
  const nc = await connect({ servers: nats.url, maxReconnectAttempts: -1 });
  connections.push(nc);
  const requester = new Requester(nc);
  requesters.push(requester);
  return { ledger: await Ledger.open(nc, requester), counters: await UtrnCounters.open(nc, requester) };
}

const record = (key: string, stage = TopUpStage.TOP_UP_STAGE_RECEIVED): TopUpRecord => ({
  ...receivedRecord({ idempotencyKey: key, customerId: 'ACC:1000000000003', amountPence: 500 }),
  stage,
});

beforeAll(async () => {
  nats = await startNatsServer();
});
afterAll(async () => {
  for (const requester of requesters) requester.close();
  for (const nc of connections) await nc.close();
  await nats.stop();
});

describe('UTRN counters (JetStream KV)', () => {
  it('never hand out a counter twice: concurrent issuers, and after nats-server restarted', async () => {
    const [a, b] = [await open(), await open()];
    const taken = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).counters.next(SUPPLIER, DEVICE)),
    );
    expect(new Set(taken).size).toBe(20);
    expect(taken.every((c) => c % (1n << 32n) === 0n)).toBe(true);
    expect([...taken].sort((x, y) => (x < y ? -1 : 1))).toEqual(
      Array.from({ length: 20 }, (_, i) => BigInt(i + 1) << 32n),
    );
    await nats.restart();
    const after = await open();
    expect(await after.counters.next(SUPPLIER, DEVICE)).toBe(21n << 32n);
    // Each device has its own sequence (the UTRN carries only 10 bits of it).
    expect(await after.counters.next(SUPPLIER, '00-DB-12-00-00-00-00-02')).toBe(1n << 32n);
  });
});

describe('prepayment ledger (JetStream KV)', () => {
  it('records a payment once per (channel, key); a stale compare-and-set loses; unfinished ones are found', async () => {
    const { ledger } = await open();
    const first = await ledger.receive(CHANNEL, record('pay-1'));
    expect(first.created).toBe(true);
    const again = await ledger.receive(CHANNEL, { ...record('pay-1'), amountPence: 999 });
    expect(again).toMatchObject({ created: false, entry: { record: { amountPence: 500 } } });
    // Another channel's key of the same text is another payment.
    expect((await ledger.receive('90-B3-D5-1F-30-00-00-05', record('pay-1'))).created).toBe(true);

    const issued = { ...record('pay-1', TopUpStage.TOP_UP_STAGE_ISSUED), utrn: '7'.repeat(20) };
    const moved = await ledger.advance(first.entry, issued);
    expect(moved?.record.stage).toBe(TopUpStage.TOP_UP_STAGE_ISSUED);
    expect(await ledger.advance(first.entry, { ...issued, utrn: '8'.repeat(20) })).toBeUndefined();
    expect((await ledger.read(CHANNEL, 'pay-1'))?.record.utrn).toBe('7'.repeat(20));

    const dispatched = await ledger.advance(moved!, { ...issued, stage: TopUpStage.TOP_UP_STAGE_DISPATCHED });
    // The sweep reads the pending index only: received, issued and dispatched ones (waiting for the meter).
    const unfinished = async () => {
      const found: string[] = [];
      for await (const entry of ledger.unfinished())
        found.push(`${entry.channelId} ${entry.record.idempotencyKey} ${entry.record.stage}`);
      return found.sort();
    };
    expect(await unfinished()).toEqual([
      `${CHANNEL} pay-1 ${TopUpStage.TOP_UP_STAGE_DISPATCHED}`,
      `90-B3-D5-1F-30-00-00-05 pay-1 ${TopUpStage.TOP_UP_STAGE_RECEIVED}`,
    ]);
    // The meter's outcome takes it out of the index; a retry of the settled payment does not put it back.
    await ledger.advance(dispatched!, { ...issued, stage: TopUpStage.TOP_UP_STAGE_CREDITED });
    expect((await ledger.receive(CHANNEL, record('pay-1'))).created).toBe(false);
    expect(await unfinished()).toEqual([`90-B3-D5-1F-30-00-00-05 pay-1 ${TopUpStage.TOP_UP_STAGE_RECEIVED}`]);
  });
});
