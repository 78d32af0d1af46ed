import { startNatsServer, waitFor, type NatsServer } from '@dcc/testkit';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SharedSwitches } from './shared-switches.js';

// Two adapter instances, each with its own NATS connection, as two processes would have.
let nats: NatsServer;
const connections: NatsConnection[] = [];
const opened: SharedSwitches[] = [];

async function instance(path: 's1' | 's2' = 's2'): Promise<SharedSwitches> {
  const nc = await connect({ servers: nats.url });
  connections.push(nc);
  const switches = await SharedSwitches.open(nc, path);
  opened.push(switches);
  return switches;
}

beforeAll(async () => {
  nats = await startNatsServer();
});

afterAll(async () => {
  for (const s of opened) s.stop();
  for (const nc of connections) await nc.close();
  await nats?.stop();
});

describe('operators’ switches shared by every instance of an adapter', () => {
  it('a region switched off through one instance is off for the other, and back on for both', async () => {
    const [a, b] = [await instance(), await instance()];
    await a.set('region', 'SOUTH', false, 'operator');
    expect(a.isOff('region', 'SOUTH')).toBe(true); // at once where it was set
    await waitFor('the other instance sees SOUTH off', () => b.isOff('region', 'SOUTH') || undefined, 5_000);
    expect(b.isOff('region', 'NORTH')).toBe(false);
    await b.set('region', 'SOUTH', true);
    await waitFor('the first instance sees SOUTH on', () => !a.isOff('region', 'SOUTH') || undefined, 5_000);
  });

  it('an instance started later starts from what is off; paths do not see each other’s switches', async () => {
    const a = await instance();
    await a.set('hub', '00-DB-12-01-00-00-00-03', false);
    await a.set('hub', '00-DB-12-01-00-00-00-01', false);
    const later = await instance();
    expect(later.offNames('hub')).toEqual(['00-DB-12-01-00-00-00-01', '00-DB-12-01-00-00-00-03']);
    const s1 = await instance('s1');
    expect(s1.offNames('hub')).toEqual([]);
    await s1.set('cohort', 'IOC', false);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(later.offNames('cohort')).toEqual([]);
  });
});
