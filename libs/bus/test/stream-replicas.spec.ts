import { startNatsServer, type NatsServer } from '@dcc/testkit';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureStream, jetStreamReplicas, setJetStreamReplicas } from '../src/index.js';

let server: NatsServer;
let nc: NatsConnection;

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connect({ servers: server.url });
});

afterAll(async () => {
  await nc.close();
  await server.stop();
});

afterEach(() => setJetStreamReplicas(1));

describe('JetStream replicas setting', () => {
  it('creates streams with one replica by default', async () => {
    expect(jetStreamReplicas()).toBe(1);
    await ensureStream(nc, { name: 'R_DEFAULT', subjects: ['r.default'] });
    const info = await (await jetstreamManager(nc)).streams.info('R_DEFAULT');
    expect(info.config.num_replicas).toBe(1);
  });

  it('asks the server for the configured replicas: a single server refuses three', async () => {
    setJetStreamReplicas(3);
    await expect(ensureStream(nc, { name: 'R_THREE', subjects: ['r.three'] })).rejects.toThrow(/replicas/i);
  });

  it('refuses a replica count JetStream does not take', () => {
    expect(() => setJetStreamReplicas(0)).toThrow(RangeError);
    expect(() => setJetStreamReplicas(6)).toThrow(RangeError);
    expect(() => setJetStreamReplicas(2.5)).toThrow(RangeError);
  });
});
