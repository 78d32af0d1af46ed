import { type RegistrationServiceClient } from '@dcc/proto';
import { registration } from '@dcc/registration';
import { startService } from '@dcc/service-kit';
import {
  freePort,
  healthCheck,
  startNatsServer,
  startServiceProcess,
  waitFor,
  type NatsServer,
  type ServiceProcess,
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

// Two registration processes on one real nats-server, both taking writes over real gRPC: each feeds part of the
// estate, the parts overlapping (every overlapping line sent to both at once), and one instance is killed
// (SIGKILL) or stopped (SIGTERM) mid-feed. Every acknowledged line must be visible on both instances, each
// line's change stored once, and both must end equal to the same feed loaded once into a single instance.

const FEED = estateFeed(600);
const MPXNS = feedMpxns(FEED);
const cleanup: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

/** One registration instance as its own OS process, on a fixed port across its restarts. */
class Instance {
  process: ServiceProcess | undefined;
  client: RegistrationServiceClient | undefined;
  private constructor(
    private readonly nats: NatsServer,
    readonly port: number,
  ) {}

  static async start(nats: NatsServer): Promise<Instance> {
    const instance = new Instance(nats, await freePort());
    cleanup.push(async () => {
      instance.client?.close();
      instance.process?.child.kill('SIGKILL');
    });
    await instance.start();
    return instance;
  }

  async start(): Promise<void> {
    this.process = startServiceProcess(
      'services/registration/src/main.ts',
      await registrationEnv(this.nats, this.port),
    );
    const operator = (await registrationTls()).credentials(OPERATOR);
    await waitFor(
      'registration to serve',
      async () =>
        (await healthCheck(`127.0.0.1:${this.port}`, '', operator).catch(() => undefined)) === 'SERVING',
      60_000,
      200,
    );
    this.client?.close();
    this.client = await registrationClient(this.port);
  }
}

/** The lines a feed's answers acknowledged as recorded (applied or already there). */
const acknowledgedMpxns = (lines: { mpxn: string }[]) => lines.map((l) => l.mpxn).filter((m) => m !== '');

describe('two registration instances taking writes', () => {
  it('one killed mid-feed: nothing acknowledged lost or stored twice, both end as one clean load', async () => {
    // The reference: the whole feed loaded once into a single instance on its own record.
    const cleanNats = await startNatsServer();
    cleanup.push(() => cleanNats.stop());
    const clean = await startService(registration, await registrationEnv(cleanNats, 0));
    const cleanClient = await registrationClient(clean.grpcPort);
    cleanup.push(async () => {
      cleanClient.close();
      await clean.stop();
    });
    expect((await loadFeed(cleanClient, FEED)).report).toMatchObject({ applied: 600, rejected: 0 });
    const expected = await histories(cleanClient, MPXNS);

    const nats = await startNatsServer();
    cleanup.push(() => nats.stop());
    const [a, b] = await Promise.all([Instance.start(nats), Instance.start(nats)]);
    // a takes the first two thirds, b the last two thirds: the middle third goes to both at once (a is killed
    // before it gets there, so part of the first third is unacknowledged).
    const partA = FEED.slice(0, 401);
    const partB = ['# second part', ...FEED.slice(201)];
    const [interrupted, second] = await Promise.all([
      loadFeed(a.client!, partA, {
        onLine: (line) => {
          if (line.lineNumber === 150) a.process!.child.kill('SIGKILL');
        },
      }),
      loadFeed(b.client!, partB),
    ]);
    expect(await a.process!.exited).toBeNull(); // killed by the signal
    expect(interrupted.report).toBeUndefined();
    expect(interrupted.lines.length).toBeGreaterThanOrEqual(150);
    expect(second.report).toMatchObject({ rejected: 0, lines: partB.length });
    // Every line either instance acknowledged is on b at once, as the clean load has it.
    const acknowledged = [
      ...new Set([...acknowledgedMpxns(interrupted.lines), ...acknowledgedMpxns(second.lines)]),
    ];
    expect(acknowledged.length).toBeGreaterThanOrEqual(149 + 400);
    const wanted = expected.filter((h) => acknowledged.includes(h.point!.mpxn));
    expect(await histories(b.client!, acknowledged)).toEqual(wanted);

    // a restarts on the same record, and has every acknowledged line before anything is re-sent.
    await a.start();
    expect(await histories(a.client!, acknowledged)).toEqual(wanted);
    // a's feed client re-sends its part (its acknowledgement stopped at the kill) while b is stopped with
    // SIGTERM in the middle of a change of supplier per line (the second supplier's holding from 2025).
    const switched = FEED.slice(1, 101).map((line) => {
      const row = JSON.parse(line) as { supplier: { party: string } };
      const next = row.supplier.party === SUPPLIER_A ? SUPPLIER_B : SUPPLIER_A;
      return JSON.stringify({ ...row, supplier: { party: next, from: '2025-01-01' } });
    });
    const stopping = loadFeed(b.client!, ['# incremental', ...switched], {
      onLine: (line) => {
        if (line.lineNumber === 50) b.process!.child.kill('SIGTERM');
      },
    });
    const resent = await loadFeed(a.client!, partA);
    expect(resent.report).toMatchObject({ rejected: 0 });
    const drained = await stopping;
    expect(await b.process!.exited).toBe(0); // drained
    const switchedBeforeStop = acknowledgedMpxns(drained.lines);
    expect(switchedBeforeStop.length).toBeGreaterThanOrEqual(50);
    // The rest of the change of supplier through a; then b restarts and replays everything.
    const rest = await loadFeed(a.client!, ['# incremental', ...switched]);
    expect(rest.report).toMatchObject({ rejected: 0 });
    expect(rest.report!.unchanged).toBeGreaterThanOrEqual(switchedBeforeStop.length);
    await b.start();

    // The same feed and incremental part loaded once into the clean instance: the reference for both.
    expect((await loadFeed(cleanClient, ['# incremental', ...switched])).report).toMatchObject({
      rejected: 0,
    });
    const final = await histories(cleanClient, MPXNS);
    expect(await histories(a.client!, MPXNS)).toEqual(final);
    expect(await histories(b.client!, MPXNS)).toEqual(final);
    // Each line's change stored once: as many messages as the single instance stored.
    expect(await recordMessages(nats)).toBe(await recordMessages(cleanNats));
  }, 180_000);
});
