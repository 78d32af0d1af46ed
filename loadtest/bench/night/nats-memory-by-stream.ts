import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { settledNatsUsage, type StreamFootprint } from './nats-footprint.ts';

/** The resident memory nats-server gave up, after a restart, once one stream (or the rest together) was gone. */
export interface StreamMemory {
  streams: string[];
  mib: number;
}

/** What is left once every stream is gone: nats-server's own memory on this store. */
export interface MemoryByStream {
  /** nats-server restarted on the whole store with no service connected. */
  startMiB: number;
  rows: StreamMemory[];
  emptyServerMiB: number;
}

/**
 * Which streams nats-server's memory after a restart goes to: with the services stopped (and nats-server restarted
 * without them), deletes the largest streams one at a time (then the rest together), restarting nats-server after
 * each and taking its settled resident memory, so each row is what a fresh start on the store no longer holds once that stream is gone. nats-server
 * reports no memory per stream, and a running Go process returns freed memory to the system only lazily, so a
 * restart after each deletion is what makes the differences readable. Destroys the streams: the benchmark's last
 * step.
 */
export async function memoryByStream(
  natsUrl: string,
  storeDir: string,
  restartNats: () => Promise<void>,
  streams: readonly StreamFootprint[],
  individually = 8,
): Promise<MemoryByStream> {
  const bySize = [...streams].sort((a, b) => b.subjects + b.messages - (a.subjects + a.messages));
  const steps = [
    ...bySize.slice(0, individually).map((st) => [st.name]),
    bySize.slice(individually).map((st) => st.name),
  ].filter((names) => names.length > 0);
  const rows: StreamMemory[] = [];
  // The start, taken the same way with the services already gone: their connections and consumers cost nats-server
  // memory too, which would otherwise land on the first row.
  await restartNats();
  const startMiB = (await settledNatsUsage(storeDir)).rssMiB;
  let before = startMiB;
  for (const names of steps) {
    const nc = await connect({ servers: natsUrl });
    try {
      const jsm = await jetstreamManager(nc);
      for (const name of names) await jsm.streams.delete(name);
    } finally {
      await nc.close();
    }
    await restartNats();
    const after = (await settledNatsUsage(storeDir)).rssMiB;
    rows.push({ streams: names, mib: before - after });
    before = after;
  }
  return { startMiB, rows, emptyServerMiB: before };
}
