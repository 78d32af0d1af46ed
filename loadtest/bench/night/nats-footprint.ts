import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { childPids } from '../process-usage.js';

/** nats-server's resident memory and its store's size on disk, MiB. */
export interface NatsUsage {
  rssMiB: number;
  diskMiB: number;
}

/** What one stream holds: nats-server keeps per-subject state in memory for each of its subjects. */
export interface StreamFootprint {
  name: string;
  subjects: number;
  messages: number;
  mib: number;
}

export function natsUsage(storeDir: string): NatsUsage {
  const disk = Number(execFileSync('du', ['-sk', storeDir], { encoding: 'utf8' }).split('\t')[0]);
  return { rssMiB: natsRssMiB(), diskMiB: disk / 1024 };
}

/**
 * The usage once nats-server's memory has settled (after a restart it rebuilds its indexes, then its garbage
 * collector returns what that took): the least resident memory of samples a second apart, after `settleMs`.
 */
export async function settledNatsUsage(storeDir: string, settleMs = 10_000): Promise<NatsUsage> {
  await new Promise((r) => setTimeout(r, settleMs));
  let least = Infinity;
  for (let i = 0; i < 5; i++) {
    least = Math.min(least, natsRssMiB());
    await new Promise((r) => setTimeout(r, 1_000));
  }
  return { ...natsUsage(storeDir), rssMiB: least };
}

/** Every stream's subjects, messages and bytes, largest subject count first. */
export async function streamFootprints(natsUrl: string): Promise<StreamFootprint[]> {
  const nc = await connect({ servers: natsUrl });
  try {
    const jsm = await jetstreamManager(nc);
    const found: StreamFootprint[] = [];
    for await (const info of jsm.streams.list()) {
      found.push({
        name: info.config.name,
        subjects: info.state.num_subjects ?? 0,
        messages: info.state.messages,
        mib: info.state.bytes / 1024 / 1024,
      });
    }
    return found.sort((a, b) => b.subjects - a.subjects || b.messages - a.messages);
  } finally {
    await nc.close();
  }
}

function natsRssMiB(): number {
  const pid = childPids('nats-server')[0];
  const rss = pid ? /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8')) : null;
  return rss ? Number(rss[1]) / 1024 : Number.NaN;
}
