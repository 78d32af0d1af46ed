import { startNatsServer, type NatsServer } from '@dcc/testkit';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partitionOfActor, type ActorRuntime, type VirtualActor } from '../src/index.js';
import { journalStore, json, makeSpace, P, publish, startRuntime, tick, until } from './helpers.js';

// A graceful hand-over (a stop, a rebalance) while turns are running: those turns have acted on the world (a
// device ran the command), so they must store their outcome and ack before the lease goes. Refused their write,
// their mail would run again at the next owner, from the state stored before, and act a second time.

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

/** Its state is what it did (as a meter's stored state holds its RequestID mark); `acts` is the world outside. */
function actingActor(acts: string[], started: string[]): VirtualActor<{ done: number[] }> {
  return {
    load: (_id, bytes) => json.decode(bytes, { done: [] as number[] }),
    save: (s) => json.encode(s),
    receive: async (s, message) => {
      const { i } = JSON.parse(new TextDecoder().decode(message.data)) as { i: number };
      if (s.done.includes(i)) return undefined; // already done, as stored: nothing to do again
      acts.push(`${message.actorId}#${i}`); // the device runs the command: this cannot be undone
      started.push(`${message.actorId}#${i}`);
      await tick(400); // its answer comes back while the hand-over has started
      return { done: [...s.done, i] };
    },
  };
}

/** One test's space, the world its actors act on, and instances sharing one durable state store. */
async function world(name: string) {
  const space = await makeSpace(nc, name);
  const acts: string[] = [];
  const started: string[] = [];
  const actor = actingActor(acts, started);
  const start = async (id: string) => startRuntime(nc, space, id, actor, await journalStore(nc, space));
  return { space, acts, started, start };
}

async function pendingMail(stream: string): Promise<number> {
  return (await (await jetstreamManager(nc)).streams.info(stream)).state.messages;
}

/** Actors ids of the partitions `owner` owns, one per partition. */
function actorsOf(owner: ActorRuntime<unknown>, count: number): string[] {
  const ids: string[] = [];
  for (let n = 0; ids.length < count; n++) {
    const id = `meter-${n}`;
    if (owner.ownedPartitions.includes(partitionOfActor(id, P))) ids.push(id);
  }
  return ids;
}

function twice(acts: string[]): string[] {
  return acts.filter((act, index) => acts.indexOf(act) !== index);
}

describe('ActorRuntime graceful hand-over with turns in flight', () => {
  it('a stopping instance lets its running turns store and ack before it releases their partitions: none runs again', async () => {
    const { space, acts, started, start } = await world('stopmidturn');
    const a = await start('a');
    const b = await start('b');
    await until(() => a.ownedPartitions.length === P / 2 && b.ownedPartitions.length === P / 2, 10_000);
    const ids = actorsOf(a as ActorRuntime<unknown>, 6);
    for (const id of ids) await publish(nc, space, id, { i: 1 });
    await until(() => started.length === ids.length); // every turn is at its device
    await a.stop();
    await until(() => b.ownedPartitions.length === P, 10_000);
    for (const id of ids) await publish(nc, space, id, { i: 2 });
    await until(async () => (await pendingMail(space.stream)) === 0, 15_000);
    await tick(500);
    expect(twice(acts)).toEqual([]);
    expect(acts).toHaveLength(ids.length * 2);
    await b.stop();
  });

  it('an instance rebalancing partitions away to a newcomer lets the running turns of those partitions finish: none runs again', async () => {
    const { space, acts, started, start } = await world('rebalancemidturn');
    const a = await start('a');
    const ids = actorsOf(a as ActorRuntime<unknown>, P * 2); // every partition
    for (const id of ids) await publish(nc, space, id, { i: 1 });
    await until(() => started.length >= P); // turns of every partition are at their devices
    const b = await start('b');
    await until(() => a.ownedPartitions.length === P / 2 && b.ownedPartitions.length === P / 2, 10_000);
    await until(async () => (await pendingMail(space.stream)) === 0, 15_000);
    await tick(500);
    expect(twice(acts)).toEqual([]);
    expect(acts).toHaveLength(ids.length);
    await Promise.all([a.stop(), b.stop()]);
  });
});
