import { startNatsServer, type NatsServer } from '@dcc/testkit';
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveKeys } from '../src/kv-live-keys.js';

const BUCKET = 'live_keys_test';
let server: NatsServer;
let nc: NatsConnection;
let kv: KV;

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connect({ servers: server.url });
  kv = await new Kvm(nc).create(BUCKET, { history: 1 });
  // 1,500 leases (more than one batched get answers), one of them released; two heartbeats.
  await Promise.all(Array.from({ length: 1_500 }, (_, p) => kv.put(`p.${p}`, 'a')));
  await kv.delete('p.7');
  await kv.put('i.a', '1');
  await kv.put('i.b', '1');
});

afterAll(async () => {
  await nc.close();
  await server.stop();
});

const consumers = async () =>
  (await (await jetstreamManager(nc)).streams.info(`KV_${BUCKET}`)).state.consumer_count;

describe('liveKeys', () => {
  it('lists the keys holding a value, literal and wildcard, in chunks, and leaves no consumer behind', async () => {
    const literal = Array.from({ length: 2_000 }, (_, p) => `p.${p}`);
    const held = await liveKeys(nc, kv, BUCKET, literal);
    expect(held).toHaveLength(1_499);
    expect(held).not.toContain('p.7');
    expect((await liveKeys(nc, kv, BUCKET, ['i.>'])).sort()).toEqual(['i.a', 'i.b']);
    expect(await consumers()).toBe(0);
  });

  it('lists a wildcard matching more keys than one batched get answers through the KV client', async () => {
    const held = await liveKeys(nc, kv, BUCKET, ['p.>']);
    expect(held).toHaveLength(1_499);
    expect(held).not.toContain('p.7');
  });
});
