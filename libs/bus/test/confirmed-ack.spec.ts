import { startNatsServer, type NatsServer } from '@dcc/testkit';
import { AckPolicy, jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ackConfirmed, ensureStream, Requester } from '../src/index.js';

let server: NatsServer;
let nc: NatsConnection;
let requester: Requester;
let jsm: JetStreamManager;

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connect({ servers: server.url });
  requester = new Requester(nc, { timeoutMs: 1_000 });
  jsm = await jetstreamManager(nc);
  await ensureStream(nc, { name: 'ACK_TEST', subjects: ['ack.test.>'] });
});

afterAll(async () => {
  requester.close();
  await nc.close();
  await server.stop();
});

/** A fresh pull consumer on its own subject with one stored message, and that message delivered. */
async function deliveredOne(name: string) {
  await jetstream(nc).publish(`ack.test.${name}`, new TextEncoder().encode(name));
  await jsm.consumers.add('ACK_TEST', {
    durable_name: name,
    filter_subject: `ack.test.${name}`,
    ack_policy: AckPolicy.Explicit,
    ack_wait: 500_000_000, // 0.5 s in nanoseconds: an unrecorded ack shows as a redelivery soon
  });
  const consumer = await jetstream(nc).consumers.get('ACK_TEST', name);
  const msg = await consumer.next({ expires: 2_000 });
  if (!msg) throw new Error('no delivery');
  return { consumer, msg };
}

describe('ackConfirmed', () => {
  it('resolves true once the server recorded the acknowledgement: nothing is pending or redelivered', async () => {
    const { consumer, msg } = await deliveredOne('recorded');
    expect(await ackConfirmed(requester, msg)).toBe(true);
    const info = await jsm.consumers.info('ACK_TEST', 'recorded');
    expect(info.num_ack_pending).toBe(0);
    expect(info.ack_floor.stream_seq).toBe(msg.seq);
    await new Promise((resolve) => setTimeout(resolve, 700)); // past the ack wait
    expect(await consumer.next({ expires: 1_000 })).toBeNull();
  });

  it('resolves false when nothing confirms it (the consumer is gone), and the message is not lost', async () => {
    const { msg } = await deliveredOne('gone');
    await jsm.consumers.delete('ACK_TEST', 'gone');
    expect(await ackConfirmed(requester, msg)).toBe(false);
    expect((await jsm.streams.getMessage('ACK_TEST', { seq: msg.seq }))?.subject).toBe('ack.test.gone');
  });
});
