// LoadFeedChunks, the bulk form of LoadFeed, over real mutual TLS into a real registration service: the same
// rejections and end state as LoadFeed for the same lines, refused to Users as LoadFeed is, its record stored in
// batches and rebuilt after a SIGKILL.
import { streams } from '@dcc/bus';
import { GrpcStatus } from '@dcc/domain';
import type { GetHistoryResponse, RegistrationServiceClient } from '@dcc/proto';
import { registration } from '@dcc/registration';
import { startService, type RunningService } from '@dcc/service-kit';
import {
  freePort,
  healthCheck,
  startNatsServer,
  startServiceProcess,
  waitFor,
  type NatsServer,
} from '@dcc/testkit';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, describe, expect, it } from 'vitest';
import {
  call,
  DATA_PROVIDER,
  estateFeed,
  loadFeed,
  loadFeedChunks,
  mpan,
  OPERATOR,
  registrationClient,
  registrationTls,
  SUPPLIER_A,
} from './registration-helpers.js';

const FEED = estateFeed(400);
const good = (n: number) => JSON.parse(FEED[n]!) as Record<string, unknown>;
/** Bad lines of every kind among good ones, including lines that are bad only given the lines before them. */
const MIXED = [
  ...FEED.slice(0, 101),
  'not json',
  JSON.stringify({ ...good(3), mpxn: '1000000000011' }), // wrong check digit
  JSON.stringify({ ...good(4), colour: 'blue' }), // unknown field
  JSON.stringify({ ...good(5), mpxn: mpan('109999999999') }), // device already installed at another point
  JSON.stringify({ ...good(6), supplier: { party: '90-B3-D5-1F-30-07-00-00', from: '2001-01-01' } }), // before the holding
  '',
  ...FEED.slice(101),
  FEED[7]!, // sent again: unchanged
];
const MPXNS = FEED.slice(1).map((l) => (JSON.parse(l) as { mpxn: string }).mpxn);
const cleanup: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

async function started(
  nats: NatsServer,
): Promise<{ service: RunningService; client: RegistrationServiceClient }> {
  const service = await startService(registration, {
    NATS_URL: nats.url,
    GRPC_PORT: '0',
    LOG_LEVEL: 'error',
    REGISTRY_CAPACITY: '10000',
    ...(await registrationTls([SUPPLIER_A])).env,
  });
  const client = await registrationClient(service.grpcPort);
  cleanup.push(async () => {
    client.close();
    await service.stop();
  });
  return { service, client };
}

async function freshNats(): Promise<NatsServer> {
  const nats = await startNatsServer();
  cleanup.push(() => nats.stop());
  return nats;
}

const snapshot = (client: RegistrationServiceClient): Promise<GetHistoryResponse[]> =>
  Promise.all(MPXNS.map((mpxn) => call<unknown, GetHistoryResponse>(client, 'getHistory', { mpxn })));

async function storedMessages(nats: NatsServer): Promise<number> {
  const nc = await connect({ servers: nats.url });
  const info = await (await jetstreamManager(nc)).streams.info(streams.registration.name);
  await nc.close();
  return info.state.messages;
}

describe('LoadFeedChunks', () => {
  it('rejects the same lines with the same reasons as LoadFeed, and ends in the same record', async () => {
    const one = await started(await freshNats());
    const byLine = await loadFeed(one.client, MIXED);
    const bulkNats = await freshNats();
    const bulk = await started(bulkNats);
    const byChunk = await loadFeedChunks(bulk.service.grpcPort, MIXED, { chunkLines: 37 });

    expect(byChunk.error).toBeUndefined();
    expect(byLine.report!.rejected).toBe(5);
    expect(byChunk.report).toEqual(byLine.report);
    // Progress: one per chunk, in order, cumulative counts; their rejections together are the report's.
    expect(byChunk.progress.map((p) => p.chunk)).toEqual(
      Array.from({ length: Math.ceil(MIXED.length / 37) }, (_, n) => n + 1),
    );
    expect(byChunk.progress.at(-1)).toMatchObject({ lines: MIXED.length, applied: byLine.report!.applied });
    expect(byChunk.progress.flatMap((p) => p.rejections)).toEqual(byLine.report!.rejections);
    expect(await snapshot(bulk.client)).toEqual(await snapshot(one.client));
    // Stored in batches: far fewer messages than events.
    expect(await storedMessages(bulkNats)).toBeLessThan(byChunk.report!.eventsRecorded / 10);
  }, 60_000);

  it('refuses a User certificate before reading a line, as LoadFeed does; a data provider may load', async () => {
    const nats = await freshNats();
    const { service } = await started(nats);
    const refused = await loadFeedChunks(service.grpcPort, FEED.slice(0, 20), { as: SUPPLIER_A });
    expect(refused.error?.code).toBe(GrpcStatus.PERMISSION_DENIED);
    expect(refused.report).toBeUndefined();
    expect(await storedMessages(nats)).toBe(0);
    const provided = await loadFeedChunks(service.grpcPort, FEED.slice(0, 20), { as: DATA_PROVIDER });
    expect(provided.report).toMatchObject({ applied: 19, rejected: 0 });
  }, 30_000);

  it('keeps every point it answered across a SIGKILL and restart of the registration process', async () => {
    const nats = await freshNats();
    const port = await freePort();
    const env = {
      NATS_URL: nats.url,
      GRPC_PORT: String(port),
      LOG_LEVEL: 'warn',
      REGISTRY_CAPACITY: '10000',
    };
    const child = startServiceProcess('services/registration/src/main.ts', {
      ...env,
      ...(await registrationTls()).env,
    });
    cleanup.push(async () => {
      child.child.kill('SIGKILL');
    });
    const operator = (await registrationTls()).credentials(OPERATOR);
    await waitFor(
      'registration to serve',
      () => healthCheck(`127.0.0.1:${port}`, '', operator).catch(() => undefined),
      30_000,
      200,
    );
    const loaded = await loadFeedChunks(port, FEED, { chunkLines: 64 });
    expect(loaded.report).toMatchObject({ applied: 400, rejected: 0 });
    child.child.kill('SIGKILL');
    expect(await child.exited).toBeNull();

    const restarted = await started(nats);
    const history = await snapshot(restarted.client);
    expect(history.map((h) => h.point!.mpxn)).toEqual(MPXNS);
    const reference = await started(await freshNats());
    await loadFeed(reference.client, FEED);
    expect(history).toEqual(await snapshot(reference.client));
    // Re-sent after the restart, every line is unchanged.
    const again = await loadFeedChunks(restarted.service.grpcPort, FEED);
    expect(again.report).toMatchObject({ applied: 0, unchanged: 400, rejected: 0 });
  }, 60_000);
});
