import { startNatsServer, startServiceProcess, type NatsServer, type ServiceProcess } from '@dcc/testkit';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSpace, P, publish, tick, until } from './helpers.js';

// A network partition between an instance and NATS, made real: the instance runs as its own process and is
// frozen with SIGSTOP for longer than nats-server tolerates a silent client (ping every second, two missed) and
// longer than its lease TTL (1.5 s in the helpers), then resumed with SIGCONT.

let server: NatsServer;
let nc: NatsConnection;
const children: ServiceProcess[] = [];

beforeAll(async () => {
  server = await startNatsServer({ config: 'ping_interval: "1s"\nping_max: 2\n' });
  nc = await connect({ servers: server.url });
});

afterAll(async () => {
  for (const c of children)
    if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
  await nc.close();
  await server.stop();
});

function startInstance(space: string, instanceId: string): ServiceProcess {
  const child = startServiceProcess('libs/actors/test/fixtures/runtime-process.ts', {
    NATS_URL: server.url,
    SPACE: space,
    INSTANCE_ID: instanceId,
    ACTORS_DEBUG: '1',
  });
  children.push(child);
  return child;
}

/** Subjects the process reported as handled (one line per turn). */
function handled(p: ServiceProcess): string[] {
  return p
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{"handled"'))
    .map((l) => (JSON.parse(l) as { handled: string }).handled);
}

const ready = (p: ServiceProcess) => until(() => p.output().includes('{"ready"'), 30_000, 50);

describe('ActorRuntime across a network partition', () => {
  it('the only instance takes its partitions back after a partition longer than its lease, and serves again', async () => {
    const space = await makeSpace(nc, 'alone');
    const instance = startInstance('alone', 'solo');
    await ready(instance);
    const actors = Array.from({ length: 4 * P }, (_, i) => `meter-${i}`);
    for (const a of actors.slice(0, P)) await publish(nc, space, a, {});
    await until(() => handled(instance).length === P, 10_000);

    instance.child.kill('SIGSTOP');
    // Mail keeps coming while it is frozen, and after.
    for (const a of actors.slice(P, 2 * P)) await publish(nc, space, a, {});
    await tick(4_500); // nats-server drops it as stale (~3 s); its leases (1.5 s) expire
    instance.child.kill('SIGCONT');
    for (const a of actors.slice(2 * P)) await publish(nc, space, a, {});

    // Well inside the consumer's ack wait (30 s): nothing waits for a redelivery.
    await until(() => handled(instance).length >= actors.length, 10_000, 100).catch(() => undefined);
    const counts = new Map<string, number>();
    for (const s of handled(instance)) counts.set(s, (counts.get(s) ?? 0) + 1);
    expect(
      [...counts.values()].every((n) => n === 1),
      instance.output(),
    ).toBe(true);
    expect(counts.size, instance.output().slice(-3_000)).toBe(actors.length);
  }, 60_000);

  it('with another live instance, a partitioned one hands over: each message handled once, all served', async () => {
    const space = await makeSpace(nc, 'pair');
    const a = startInstance('pair', 'a');
    await ready(a);
    const b = startInstance('pair', 'b');
    await ready(b);
    const actors = Array.from({ length: 6 * P }, (_, i) => `meter-${i}`);
    const all = () => [...handled(a), ...handled(b)];
    for (const x of actors.slice(0, 2 * P)) await publish(nc, space, x, {});
    await until(() => all().length === 2 * P, 10_000);

    a.child.kill('SIGSTOP');
    for (const x of actors.slice(2 * P, 4 * P)) await publish(nc, space, x, {});
    await tick(4_500); // b takes a's partitions over once a's leases expire
    a.child.kill('SIGCONT');
    for (const x of actors.slice(4 * P)) await publish(nc, space, x, {});

    await until(() => all().length >= actors.length, 10_000, 100).catch(() => undefined);
    await tick(1_000); // a late second delivery would show now
    const counts = new Map<string, number>();
    for (const s of all()) counts.set(s, (counts.get(s) ?? 0) + 1);
    const twice = [...counts].filter(([, n]) => n > 1).map(([s]) => s);
    expect(twice, a.output().slice(-2_000)).toEqual([]);
    expect(counts.size).toBe(actors.length);
  }, 60_000);
});
