import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RetentionPolicy, StorageType, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { waitFor } from '@dcc/testkit';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  ActorRuntime,
  JournalStateStore,
  partitionOfActor,
  type ActorRuntimeOptions,
  type StateStore,
  type VirtualActor,
} from '../src/index.js';

export const P = 8;
export const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Names of one test's stream, consumers and buckets, so tests sharing a server do not meet. */
export interface Space {
  stream: string;
  subject: (actorId: string) => string;
  leases: string;
  state: string;
  reminders: string;
}

export async function makeSpace(nc: NatsConnection, name: string): Promise<Space> {
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({
    name: `MAIL_${name}`,
    subjects: [`${name}.mail.>`],
    retention: RetentionPolicy.Workqueue,
    storage: StorageType.File,
  });
  return {
    stream: `MAIL_${name}`,
    subject: (actorId) => `${name}.mail.${partitionOfActor(actorId, P)}.${actorId}`,
    leases: `leases_${name}`,
    state: `STATE_${name}`,
    reminders: `reminders_${name}`,
  };
}

export async function publish(nc: NatsConnection, space: Space, actorId: string, body: unknown, id?: string) {
  await jetstream(nc).publish(
    space.subject(actorId),
    new TextEncoder().encode(JSON.stringify(body)),
    id ? { msgID: id } : undefined,
  );
}

/** A journaled state store on the space's stream, with its LMDB working set in `dir` (a fresh one by default). */
export function journalStore(
  nc: NatsConnection,
  space: Space,
  dir?: string,
  options: { tailFactor?: number; minTail?: number } = {},
): Promise<JournalStateStore> {
  return JournalStateStore.open(nc, {
    stream: space.state,
    dir: dir ?? mkdtempSync(join(tmpdir(), 'dcc-actors-')),
    ...options,
  });
}

/**
 * What the durable record holds for one actor, read as a new owner would: a store on an empty working set
 * replays the partition's journal (it holds nothing, so it never compacts).
 */
export async function durableState(
  nc: NatsConnection,
  space: Space,
  partition: number,
  actorId: string,
): Promise<Uint8Array | undefined> {
  const reader = await journalStore(nc, space);
  try {
    await reader.partitionAcquired(partition, 'reader', () => false);
    return await reader.get(partition, actorId);
  } finally {
    await reader.close();
  }
}

export function startRuntime<S>(
  nc: NatsConnection,
  space: Space,
  instanceId: string,
  actor: VirtualActor<S>,
  store: StateStore,
  extra: Partial<ActorRuntimeOptions<S>> = {},
): Promise<ActorRuntime<S>> {
  const name = space.stream.slice('MAIL_'.length);
  return ActorRuntime.start<S>({
    nc,
    instanceId,
    actor,
    store,
    partitions: P,
    mail: {
      stream: space.stream,
      filterSubject: (p) => `${name}.mail.${p}.>`,
      consumerPrefix: `${name}-actors`,
      ackWaitMs: 2_000,
      maxAckPending: 64,
    },
    leases: { bucket: space.leases, ttlMs: 1_500, renewMs: 200, marginMs: 500 },
    reminders: { bucket: space.reminders, tickMs: 200 },
    onError: (e, where) => {
      if (process.env.ACTORS_DEBUG) console.error(instanceId, where, e);
    },
    ...extra,
  });
}

export const json = {
  decode<T>(bytes: Uint8Array | undefined, initial: T): T {
    return bytes ? (JSON.parse(new TextDecoder().decode(bytes)) as T) : initial;
  },
  encode(value: unknown): Uint8Array {
    return new TextEncoder().encode(JSON.stringify(value));
  },
};

/** Waits until `check` holds. */
export function until(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  intervalMs = 20,
): Promise<true> {
  return waitFor('condition', async () => (await check()) || undefined, timeoutMs, intervalMs);
}
