import { startNatsServer, type NatsServer } from '@dcc/testkit';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReminderStore } from '../src/reminders.js';

let server: NatsServer;
let nc: NatsConnection;
let store: ReminderStore;

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connect({ servers: server.url });
  store = await ReminderStore.open(nc, 'reminder_store_test');
});

afterAll(async () => {
  store.close();
  await nc.close();
  await server.stop();
});

async function keys(): Promise<string[]> {
  const found: string[] = [];
  for await (const k of await store.kv.keys()) found.push(k);
  return found.sort();
}

describe('ReminderStore', () => {
  it('moves a reminder to its new minute and cancels it, leaving no key behind', async () => {
    const now = Date.now();
    const first = ReminderStore.minuteOf(now + 5 * 60_000);
    const later = ReminderStore.minuteOf(now + 60 * 60_000);
    await store.set(3, 'actor-a', 'wake', now + 5 * 60_000);
    expect(await keys()).toEqual([`r.3.${first}.actor-a.wake`, 'x.3.actor-a.wake']);
    await store.set(3, 'actor-a', 'wake', now + 60 * 60_000);
    expect(await keys()).toEqual([`r.3.${later}.actor-a.wake`, 'x.3.actor-a.wake']);
    await store.cancel(3, 'actor-a', 'wake');
    expect(await keys()).toEqual([]);
    await store.cancel(3, 'actor-a', 'wake'); // nothing to cancel: no error
    expect(await keys()).toEqual([]);
  });
});
