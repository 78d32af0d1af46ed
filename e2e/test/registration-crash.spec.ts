import { streams } from '@dcc/bus';
import { type GetHistoryResponse, type RegistrationServiceClient } from '@dcc/proto';
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
  estateFeed,
  loadFeed,
  OPERATOR,
  registrationClient,
  registrationTls,
} from './registration-helpers.js';

const FEED = estateFeed(600);
const MPXNS = FEED.filter((l) => !l.startsWith('#')).map((l) => (JSON.parse(l) as { mpxn: string }).mpxn);
const cleanup: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

const env = async (nats: NatsServer, port: number) => ({
  NATS_URL: nats.url,
  GRPC_PORT: String(port),
  LOG_LEVEL: 'warn',
  REGISTRY_CAPACITY: '10000',
  ...(await registrationTls()).env,
});

async function snapshot(client: RegistrationServiceClient): Promise<GetHistoryResponse[]> {
  return Promise.all(MPXNS.map((mpxn) => call<unknown, GetHistoryResponse>(client, 'getHistory', { mpxn })));
}

async function eventCount(nats: NatsServer): Promise<number> {
  const nc = await connect({ servers: nats.url });
  const info = await (await jetstreamManager(nc)).streams.info(streams.registration.name);
  await nc.close();
  return info.state.messages;
}

async function started(
  nats: NatsServer,
): Promise<{ service: RunningService; client: RegistrationServiceClient }> {
  const service = await startService(registration, await env(nats, 0));
  const client = await registrationClient(service.grpcPort);
  cleanup.push(async () => {
    client.close();
    await service.stop();
  });
  return { service, client };
}

describe('a crash during a feed load', () => {
  it('loses nothing acknowledged, and a re-send ends equal to a clean load', async () => {
    // The reference: the same feed loaded once, undisturbed, into its own record.
    const cleanNats = await startNatsServer();
    cleanup.push(() => cleanNats.stop());
    const clean = await started(cleanNats);
    const cleanLoad = await loadFeed(clean.client, FEED);
    expect(cleanLoad.report).toMatchObject({ applied: 600, rejected: 0 });
    const expected = await snapshot(clean.client);

    // The crash: a real process, killed with SIGKILL while the feed streams in.
    const nats = await startNatsServer();
    cleanup.push(() => nats.stop());
    const port = await freePort();
    const child = startServiceProcess('services/registration/src/main.ts', await env(nats, port));
    cleanup.push(async () => {
      child.child.kill('SIGKILL');
    });
    await waitFor(
      'registration to serve',
      async () =>
        healthCheck(`localhost:${port}`, '', (await registrationTls()).credentials(OPERATOR)).catch(
          () => undefined,
        ),
      30_000,
      200,
    );
    const crashClient = await registrationClient(port);
    const interrupted = await loadFeed(crashClient, FEED, {
      onLine: (line) => {
        if (line.lineNumber === 150) child.child.kill('SIGKILL');
      },
    });
    crashClient.close();
    expect(await child.exited).toBeNull(); // killed by the signal
    expect(interrupted.report).toBeUndefined();
    expect(interrupted.lines.length).toBeGreaterThanOrEqual(150);
    expect(interrupted.lines.length).toBeLessThan(FEED.length);
    const acknowledged = interrupted.lines.filter((l) => l.mpxn !== '').map((l) => l.mpxn);

    // Restart on the same record: every acknowledged line is there before anything is re-sent.
    const restarted = await started(nats);
    const afterCrash = await Promise.all(
      acknowledged.map((mpxn) => call<unknown, GetHistoryResponse>(restarted.client, 'getHistory', { mpxn })),
    );
    expect(afterCrash).toEqual(expected.filter((h) => acknowledged.includes(h.point!.mpxn)));

    // Re-send the whole feed: the end state equals the clean load, holder by holder, status by status.
    const resent = await loadFeed(restarted.client, FEED);
    expect(resent.report).toMatchObject({ rejected: 0 });
    expect(resent.report!.unchanged).toBeGreaterThanOrEqual(acknowledged.length);
    expect(await snapshot(restarted.client)).toEqual(expected);
    expect(await eventCount(nats)).toBe(await eventCount(cleanNats));
  }, 60_000);
});
