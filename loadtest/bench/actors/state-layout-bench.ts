import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JournalStateStore, keyToken, partitionOfActor } from '@dcc/actors';
import { DirectKv, Requester } from '@dcc/bus';
import { startNatsServer, type NatsServer } from '@dcc/testkit';
import { Kvm } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { replaceDocSection } from '../doc-section.js';
import { cpuSeconds, rssBytes } from '../ingest/proc.js';
import { childPids } from '../process-usage.js';
import { machineFacts } from '../machine.js';

/**
 * What nats-server holds for N actor states in each layout, each on a fresh nats-server of its own: one KV key
 * per actor (`s.<partition>.<id>`, the layout before the journal) and the partitions' journal
 * (JournalStateStore, one stream, one subject per partition). Reported: nats-server's resident memory after the writes and
 * after a restart, its store on disk, the write rate, and for the journal the time a new owner takes to rebuild
 * every partition from it (the recovery a crash costs).
 *
 *   npm run bench:state-layout -w @dcc/loadtest     (STATE_LAYOUT_METERS, default 1,000,000)
 */
const METERS = Number(process.env.STATE_LAYOUT_METERS ?? 1_000_000);
const PARTITIONS = 256;
const IN_FLIGHT = 256;
/** A SMETS2 meter's stored state after a read is about 40 bytes (docs/performance.md, "SMETS2 adapter"). */
const state = new Uint8Array(40).fill(7);
const meterId = (n: number) =>
  `00-DB-12-${((n >>> 16) & 0xff).toString(16).padStart(2, '0')}-${((n >>> 8) & 0xff).toString(16).padStart(2, '0')}-${(n & 0xff).toString(16).padStart(2, '0')}-00-01`.toUpperCase();

interface LayoutFigures {
  layout: string;
  writesPerSecond: number;
  natsCpuUsPerWrite: number;
  natsRssFreshMiB: number;
  natsRssAfterWritesMiB: number;
  natsRssAfterRestartMiB: number;
  bytesPerMeterWhileWritten: number;
  bytesPerMeterAfterRestart: number;
  diskBytesPerMeter: number;
  rebuildSeconds?: number;
}

const mib = (bytes: number) => Math.round((bytes / 1024 ** 2) * 10) / 10;

function natsPid(): number {
  const pids = childPids('nats-server');
  if (pids.length !== 1) throw new Error(`expected one nats-server child, found ${pids.length}`);
  return pids[0]!;
}

function diskBytes(dir: string): number {
  return Number(execFileSync('du', ['-sb', dir], { encoding: 'utf8' }).split('\t')[0]);
}

/** Runs `write(n)` for every meter, IN_FLIGHT at once; resolves with the writes per second. */
async function writeAll(write: (n: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < METERS) await write(next++);
    }),
  );
  return METERS / ((performance.now() - started) / 1000);
}

/**
 * nats-server's resident memory, settled: the least of samples over `ms` (the Go runtime returns freed memory
 * to the system in its own time, so one sample can hold garbage).
 */
async function settledRss(ms: number): Promise<number> {
  let least = Number.POSITIVE_INFINITY;
  for (const end = Date.now() + ms; Date.now() < end;) {
    least = Math.min(least, rssBytes(natsPid()));
    await new Promise((r) => setTimeout(r, 250));
  }
  return least;
}

async function measure(
  layout: string,
  fill: (nc: NatsConnection) => Promise<number>,
  afterRestart?: (nc: NatsConnection) => Promise<number>,
): Promise<LayoutFigures> {
  const server: NatsServer = await startNatsServer();
  try {
    let nc = await connect({ servers: server.url });
    const fresh = rssBytes(natsPid());
    const cpuBefore = cpuSeconds(natsPid());
    const writesPerSecond = await fill(nc);
    const natsCpuUsPerWrite = ((cpuSeconds(natsPid()) - cpuBefore) * 1e6) / METERS;
    await nc.close();
    const written = await settledRss(3_000);
    await server.restart();
    nc = await connect({ servers: server.url });
    const restarted = await settledRss(5_000);
    const rebuildSeconds = afterRestart ? await afterRestart(nc) : undefined;
    await nc.close();
    const figures: LayoutFigures = {
      layout,
      writesPerSecond: Math.round(writesPerSecond),
      natsCpuUsPerWrite: Math.round(natsCpuUsPerWrite),
      natsRssFreshMiB: mib(fresh),
      natsRssAfterWritesMiB: mib(written),
      natsRssAfterRestartMiB: mib(restarted),
      bytesPerMeterWhileWritten: Math.round((written - fresh) / METERS),
      bytesPerMeterAfterRestart: Math.round((restarted - fresh) / METERS),
      diskBytesPerMeter: Math.round(diskBytes(server.storeDir) / METERS),
      ...(rebuildSeconds === undefined ? {} : { rebuildSeconds: Math.round(rebuildSeconds * 10) / 10 }),
    };
    console.log(figures);
    return figures;
  } finally {
    await server.stop();
  }
}

const machine = machineFacts();
console.log(
  `${METERS.toLocaleString('en-GB')} meter states, ${PARTITIONS} partitions; nats-server ${machine.natsServer}`,
);

const perKey = await measure('one KV key per meter (before)', async (nc) => {
  const requester = new Requester(nc);
  const direct = await DirectKv.of(requester, await new Kvm(nc).create('bench_state', { history: 1 }));
  const rate = await writeAll((n) => {
    const id = meterId(n);
    return direct.put(`s.${partitionOfActor(id, PARTITIONS)}.${keyToken(id)}`, state);
  });
  requester.close();
  return rate;
});

const dirs: string[] = [];
const workingSet = () => {
  const dir = mkdtempSync(join(tmpdir(), 'dcc-state-layout-'));
  dirs.push(dir);
  return dir;
};
const journal = await measure(
  'journal, one subject per partition (now)',
  async (nc) => {
    const store = await JournalStateStore.open(nc, { stream: 'BENCH_STATE', dir: workingSet() });
    for (let p = 0; p < PARTITIONS; p++) await store.partitionAcquired(p, 'bench', () => true);
    const rate = await writeAll((n) => {
      const id = meterId(n);
      return store.put(partitionOfActor(id, PARTITIONS), id, state);
    });
    for (let p = 0; p < PARTITIONS; p++) await store.partitionReleased(p);
    await store.close();
    return rate;
  },
  // A new owner with an empty working set takes every partition up: the replay a crash costs.
  async (nc) => {
    const store = await JournalStateStore.open(nc, { stream: 'BENCH_STATE', dir: workingSet() });
    const started = performance.now();
    // Taken up together, as the runtime takes up the partitions of one lease round.
    const all = Array.from({ length: PARTITIONS }, (_, p) => p);
    await Promise.all(all.map((p) => store.partitionAcquired(p, 'rebuild', () => false)));
    const seconds = (performance.now() - started) / 1000;
    await store.close();
    return seconds;
  },
);
for (const dir of dirs) rmSync(dir, { recursive: true, force: true });

const report = {
  measuredAt: new Date().toISOString(),
  machine,
  meters: METERS,
  partitions: PARTITIONS,
  layouts: [perKey, journal],
};
writeFileSync(
  fileURLToPath(new URL('../../results/state-layout-latest.json', import.meta.url)),
  `${JSON.stringify(report, null, 2)}\n`,
);
const row = (f: LayoutFigures) =>
  `| ${f.layout} | ${f.writesPerSecond.toLocaleString('en-GB')} | ${f.natsCpuUsPerWrite} | ${f.natsRssFreshMiB} → ${f.natsRssAfterWritesMiB} → ${f.natsRssAfterRestartMiB} MiB | ${f.bytesPerMeterWhileWritten} B | ${f.bytesPerMeterAfterRestart} B | ${f.diskBytesPerMeter} B |`;
const at30M = (bytesPerMeter: number) => `${((bytesPerMeter * 30e6) / 1024 ** 3).toFixed(1)} GiB`;
replaceDocSection(
  fileURLToPath(new URL('../../../docs/performance.md', import.meta.url)),
  'Device state in nats-server',
  `## Device state in nats-server

<!-- Generated by loadtest/bench/actors/state-layout-bench.ts; edits here are overwritten. -->

Command: \`npm run bench:state-layout -w @dcc/loadtest\` (\`STATE_LAYOUT_METERS\`). Measured ${report.measuredAt.slice(0, 16).replace('T', ' ')} UTC on
${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}, nats-server ${machine.natsServer}. ${METERS.toLocaleString('en-GB')} meter states of
${state.length} bytes written once each (${IN_FLIGHT} in flight, ${PARTITIONS} partitions), each layout on a fresh nats-server of its own; resident
memory of nats-server fresh → after the writes → after a restart (each the least of samples over 3-5 s); per meter above the fresh server.

| layout | writes/s | nats-server CPU µs per write | nats-server RSS | per meter while written | per meter after restart | disk per meter |
|---|--:|--:|--:|--:|--:|--:|
${row(perKey)}
${row(journal)}

At 30 million meters, after a restart: ${at30M(perKey.bytesPerMeterAfterRestart)} of nats-server memory for one key per meter, ${at30M(Math.max(0, journal.bytesPerMeterAfterRestart))}
for the journal (nats-server keeps per-subject state for every KV key; the journal has ${PARTITIONS} subjects in one stream, its
messages stay on disk). The price is recovery: a new owner with an empty working set rebuilds every partition from the journal before serving
it; ${METERS.toLocaleString('en-GB')} states took ${journal.rebuildSeconds} s here (a graceful hand-back to the same instance trusts its LMDB and rebuilds
nothing; a crash rebuilds the partitions the instance held). Compaction keeps each partition's journal within its live states
plus 10,000 messages.
`,
);
