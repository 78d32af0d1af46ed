/**
 * Actor runtime benchmark: one process hosts the partitioned actor runtime for a 30,000,000-actor key
 * space, all passive, and reports resident memory, time to become ready, and message throughput to random actors
 * (activation from the store or a default + one message + write-through + eventual passivation) through real
 * NATS/JetStream, against the bare NATS request/reply ceiling (@dcc/bus Requester, echo responder, 200 in
 * flight) measured in the same run.
 *
 * Settings (env): ACTORS_KEYSPACE (30,000,000), ACTORS_PARTITIONS (256), ACTORS_MESSAGES (20,000),
 * ACTORS_IN_FLIGHT (200 publishes in flight), ACTORS_CEILING_SECONDS (5), ACTORS_IDLE_MS (3,000),
 * ACTORS_MAX_ACTIVE (10,000), ACTORS_MAX_ACK_PENDING (1,024), ACTORS_STORE (journal | lmdb | memory).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ActorRuntime,
  LmdbStateStore,
  MemoryStateStore,
  JournalStateStore,
  type StateStore,
  partitionOfActor,
  type VirtualActor,
} from '@dcc/actors';
import { ensureHubStreams, Requester, streams, subjects } from '@dcc/bus';
import type { Eui64 } from '@dcc/domain';
import { startNatsServer } from '@dcc/testkit';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { machineFacts } from '../machine.js';
import { childCpuMs } from '../process-usage.js';
import { mib, snapshot, type MemorySnapshot } from '../registry/memory.js';

const RESULTS_FILE = fileURLToPath(new URL('../../results/actors-latest.json', import.meta.url));
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const KEYSPACE = env('ACTORS_KEYSPACE', 30_000_000);
const PARTITIONS = env('ACTORS_PARTITIONS', 256);
const MESSAGES = env('ACTORS_MESSAGES', 20_000);
const IN_FLIGHT = env('ACTORS_IN_FLIGHT', 200);
const CEILING_SECONDS = env('ACTORS_CEILING_SECONDS', 5);
const IDLE_MS = env('ACTORS_IDLE_MS', 3_000);
const MAX_ACTIVE = env('ACTORS_MAX_ACTIVE', 10_000);
/** Unacknowledged messages of the instance's one consumer (all partitions it owns). */
const MAX_ACK_PENDING = env('ACTORS_MAX_ACK_PENDING', 1_024);
/** `journal` (LMDB + the partitions' JetStream journal, the real thing), `lmdb` or `memory`: what the store costs. */
const STORE = process.env.ACTORS_STORE ?? 'journal';

/** The actor with index i of the key space: an EUI-64 like a meter's. */
function actorId(i: number): Eui64 {
  const hex = i.toString(16).toUpperCase().padStart(10, '0');
  return `00-DB-12-${hex.slice(0, 2)}-${hex.slice(2, 4)}-${hex.slice(4, 6)}-${hex.slice(6, 8)}-${hex.slice(8, 10)}` as Eui64;
}

/** A little state per actor: a message count and the last stream sequence (16 bytes). */
const counterActor: VirtualActor<{ count: number; lastSeq: number }> = {
  load: (_id, bytes) => {
    if (!bytes) return { count: 0, lastSeq: 0 };
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return { count: view.getFloat64(0), lastSeq: view.getFloat64(8) };
  },
  save: (s) => {
    const out = new Uint8Array(16);
    const view = new DataView(out.buffer);
    view.setFloat64(0, s.count);
    view.setFloat64(8, s.lastSeq);
    return out;
  },
  receive: (s, message) => ({ count: s.count + 1, lastSeq: message.seq ?? 0 }),
};

function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4_294_967_296;
  };
}

async function natsCeiling(url: string): Promise<{ requests: number; seconds: number; perSecond: number }> {
  const responder = await connect({ servers: url, name: 'bench-echo' });
  responder.subscribe('bench.echo', { callback: (_e, msg) => void msg.respond(msg.data) });
  await responder.flush();
  const client = await connect({ servers: url, name: 'bench-requester' });
  const requester = new Requester(client, { timeoutMs: 10_000 });
  const payload = new Uint8Array(60).fill(0x2a);
  let done = 0;
  const deadline = performance.now() + CEILING_SECONDS * 1_000;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: 200 }, async () => {
      while (performance.now() < deadline) {
        await requester.request('bench.echo', payload);
        done++;
      }
    }),
  );
  const seconds = (performance.now() - start) / 1_000;
  requester.close();
  await client.close();
  await responder.close();
  return { requests: done, seconds: round(seconds, 2), perSecond: Math.round(done / seconds) };
}

function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function memory(s: MemorySnapshot) {
  return { rssMiB: round(s.rssBytes / 1_048_576), heapUsedMiB: round(s.heapUsedBytes / 1_048_576) };
}

async function main(): Promise<void> {
  const machine = machineFacts();
  const server = await startNatsServer();
  const lmdbDir = mkdtempSync(join(tmpdir(), 'dcc-actor-bench-'));
  try {
    console.log(`nats-server ${machine.natsServer} on ${server.url}; ${machine.cpus} cpus`);
    const ceiling = await natsCeiling(server.url);
    console.log(`bare NATS request/reply (Requester, 200 in flight): ${ceiling.perSecond} req/s`);

    const nc = await connect({ servers: server.url, name: 'actor-runtime' });
    await ensureHubStreams(nc);
    const baseline = snapshot();

    // Boot: nothing per actor is built; all 30 M actors are passive until mail arrives.
    const bootStart = performance.now();
    const store: StateStore =
      STORE === 'memory'
        ? new MemoryStateStore()
        : STORE === 'lmdb'
          ? new LmdbStateStore(lmdbDir)
          : await JournalStateStore.open(nc, { stream: 'BENCH_ACTOR_STATE', dir: lmdbDir });
    const runtime = await ActorRuntime.start({
      nc,
      instanceId: 'bench-1',
      actor: counterActor,
      store,
      partitions: PARTITIONS,
      mail: {
        stream: streams.meterMail.name,
        filterSubject: (p) => `dcc.meter.s2.${p}.>`,
        consumerPrefix: 'meter-mail-s2',
        maxAckPending: MAX_ACK_PENDING,
      },
      idleMs: IDLE_MS,
      maxActive: MAX_ACTIVE,
      onError: (e, where) => console.error(where, e),
    });
    const readySeconds = (performance.now() - bootStart) / 1_000;
    const ownedAtReady = runtime.ownedPartitions.length;
    const ready = snapshot();
    console.log(
      `ready in ${readySeconds.toFixed(2)} s owning ${runtime.ownedPartitions.length}/${PARTITIONS} partitions; ` +
        `RSS ${mib(ready.rssBytes)} (baseline ${mib(baseline.rssBytes)})`,
    );

    // Throughput: random actors of the key space, published with a bounded window, handled end to end.
    const js = jetstream(nc);
    const next = random(42);
    const body = new Uint8Array(60).fill(0x2a);
    let published = 0;
    let peakActive = 0;
    const cpu = process.cpuUsage();
    const natsCpu = childCpuMs('nats-server');
    const start = performance.now();
    const watch = setInterval(() => (peakActive = Math.max(peakActive, runtime.activeCount)), 20);
    const publisher = Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (published < MESSAGES) {
          published++;
          const id = actorId(Math.floor(next() * KEYSPACE));
          await js.publish(subjects.meterMail('s2', partitionOfActor(id, PARTITIONS), id), body);
        }
      }),
    );
    await publisher;
    const publishSeconds = (performance.now() - start) / 1_000;
    while (runtime.stats.handled < MESSAGES) await new Promise((r) => setTimeout(r, 5));
    const seconds = (performance.now() - start) / 1_000;
    clearInterval(watch);
    const used = process.cpuUsage(cpu);
    const natsCpuAfter = childCpuMs('nats-server');
    const afterRun = snapshot();
    const perSecond = Math.round(MESSAGES / seconds);
    console.log(
      `${MESSAGES} messages to random actors in ${seconds.toFixed(2)} s: ${perSecond} msgs/s ` +
        `(${round(perSecond / ceiling.perSecond, 3)} of the NATS ceiling); peak active ${peakActive}`,
    );

    // Eventual passivation: wait for the idle timeout to empty the active set.
    const idleStart = performance.now();
    while (runtime.activeCount > 0 && performance.now() - idleStart < IDLE_MS + 15_000)
      await new Promise((r) => setTimeout(r, 50));
    const passivatedAfterSeconds = (performance.now() - idleStart) / 1_000;
    const passive = snapshot();
    console.log(
      `all passive again after ${passivatedAfterSeconds.toFixed(1)} s: active ${runtime.activeCount}, RSS ${mib(passive.rssBytes)}`,
    );

    const stopStart = performance.now();
    await runtime.stop();
    const stopSeconds = (performance.now() - stopStart) / 1_000;
    await store.close();
    await nc.close();

    // Nothing is allocated per passive actor; the RSS difference to the baseline is noise (it can be negative).
    const perActorBytes = (b: MemorySnapshot) =>
      round(Math.max(0, b.rssBytes - baseline.rssBytes) / KEYSPACE, 2);
    const report = {
      generatedAt: new Date().toISOString(),
      command: 'npm run bench:actors (cwd loadtest)',
      machine,
      settings: {
        keySpace: KEYSPACE,
        partitions: PARTITIONS,
        messages: MESSAGES,
        publishInFlight: IN_FLIGHT,
        idleMs: IDLE_MS,
        maxActive: MAX_ACTIVE,
        maxAckPendingPerInstance: MAX_ACK_PENDING,
        store:
          STORE === 'journal'
            ? 'journal: LMDB working set + one JetStream subject per partition, write-through before ack'
            : STORE,
      },
      ceiling: { name: 'nats-request-reply (Requester, 200 in flight, echo)', ...ceiling },
      boot: {
        readySeconds: round(readySeconds, 2),
        ownedPartitions: ownedAtReady,
        baseline: memory(baseline),
        readyAllPassive: memory(ready),
        rssDeltaMiB: round((ready.rssBytes - baseline.rssBytes) / 1_048_576),
        bytesPerActorAllPassive: perActorBytes(ready),
        targetRssMiB: 3 * 1_024,
      },
      throughput: {
        messages: MESSAGES,
        seconds: round(seconds, 2),
        perSecond,
        ratioToNatsCeiling: round(perSecond / ceiling.perSecond, 3),
        publishSeconds: round(publishSeconds, 2),
        activations: runtime.stats.activations,
        failed: runtime.stats.failed,
        peakActive,
        processCores: round((used.user + used.system) / 1e6 / seconds, 2),
        natsServerCores:
          natsCpu !== undefined && natsCpuAfter !== undefined
            ? round((natsCpuAfter - natsCpu) / 1_000 / seconds, 2)
            : undefined,
        rssAfterRun: memory(afterRun),
        peakRssMiB: afterRun.peakRssBytes ? round(afterRun.peakRssBytes / 1_048_576) : undefined,
      },
      passivation: {
        secondsUntilAllPassive: round(passivatedAfterSeconds, 1),
        activeAfter: runtime.activeCount,
        passivations: runtime.stats.passivations,
        rssAllPassiveAgain: memory(passive),
      },
      stopSeconds: round(stopSeconds, 2),
    };
    mkdirSync(dirname(RESULTS_FILE), { recursive: true });
    writeFileSync(RESULTS_FILE, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`wrote ${RESULTS_FILE}`);
  } finally {
    await server.stop();
    rmSync(lmdbDir, { recursive: true, force: true });
  }
}

await main();
