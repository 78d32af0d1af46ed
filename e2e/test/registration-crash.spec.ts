import { type RegistrationServiceClient } from '@dcc/proto';
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
import { afterAll, describe, expect, it } from 'vitest';
import {
  estateFeed,
  feedMpxns,
  loadFeed,
  OPERATOR,
  registrationClient,
  registrationTls,
  SUPPLIER_A,
  SUPPLIER_B,
  histories,
  recordMessages,
  registrationEnv,
} from './registration-helpers.js';

const FEED = estateFeed(600);
const MPXNS = feedMpxns(FEED);
const cleanup: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

async function started(
  nats: NatsServer,
): Promise<{ service: RunningService; client: RegistrationServiceClient }> {
  const service = await startService(registration, await registrationEnv(nats, 0));
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
    const expected = await histories(clean.client, MPXNS);

    // The crash: a real process, killed with SIGKILL while the feed streams in.
    const nats = await startNatsServer();
    cleanup.push(() => nats.stop());
    const port = await freePort();
    const child = startServiceProcess('services/registration/src/main.ts', await registrationEnv(nats, port));
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
    const afterCrash = await histories(restarted.client, acknowledged);
    expect(afterCrash).toEqual(expected.filter((h) => acknowledged.includes(h.point!.mpxn)));

    // Re-send the whole feed: the end state equals the clean load, holder by holder, status by status.
    const resent = await loadFeed(restarted.client, FEED);
    expect(resent.report).toMatchObject({ rejected: 0 });
    expect(resent.report!.unchanged).toBeGreaterThanOrEqual(acknowledged.length);
    expect(await histories(restarted.client, MPXNS)).toEqual(expected);
    expect(await recordMessages(nats)).toBe(await recordMessages(cleanNats));
  }, 60_000);

  it('in its incremental part: a re-send changes nothing already applied and rejects nothing', async () => {
    // The full refresh, then an incremental part for its first 200 points: another supplier from 2025 and the
    // meter suspended. Re-sent, the refresh rows are older than the record and must neither revert the
    // device status nor be rejected as preceding the current holding.
    const incremental = FEED.slice(1, 201).map((line) => {
      const row = JSON.parse(line) as { supplier: { party: string }; device: { status: string } };
      const next = row.supplier.party === SUPPLIER_A ? SUPPLIER_B : SUPPLIER_A;
      return JSON.stringify({
        ...row,
        supplier: { party: next, from: '2025-01-01' },
        device: { ...row.device, status: 'Suspended' },
      });
    });
    const feed = [...FEED, '# incremental', ...incremental];
    const cleanNats = await startNatsServer();
    cleanup.push(() => cleanNats.stop());
    const clean = await started(cleanNats);
    expect((await loadFeed(clean.client, feed)).report).toMatchObject({ rejected: 0 });
    const expected = await histories(clean.client, MPXNS);

    const nats = await startNatsServer();
    cleanup.push(() => nats.stop());
    const port = await freePort();
    const child = startServiceProcess('services/registration/src/main.ts', await registrationEnv(nats, port));
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
    const crashClient = await registrationClient(port);
    const killAt = FEED.length + 1 + 100; // midway through the incremental part
    const interrupted = await loadFeed(crashClient, feed, {
      onLine: (line) => {
        if (line.lineNumber === killAt) child.child.kill('SIGKILL');
      },
    });
    crashClient.close();
    expect(await child.exited).toBeNull();
    expect(interrupted.lines.length).toBeGreaterThanOrEqual(killAt);
    expect(interrupted.lines.length).toBeLessThan(feed.length);

    const restarted = await started(nats);
    const resent = await loadFeed(restarted.client, feed);
    expect(resent.report?.rejections).toEqual([]);
    expect(await histories(restarted.client, MPXNS)).toEqual(expected);
    expect(await recordMessages(nats)).toBe(await recordMessages(cleanNats));
  }, 90_000);
});
