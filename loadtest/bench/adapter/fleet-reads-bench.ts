/**
 * Both adapters at fleet scale: 4.8.1 half-hourly profile reads of the previous day through the real SMETS2 and
 * SMETS1 adapter services (each its own OS process, started from its main.ts) for many distinct meters, against
 * the bare NATS request/reply ceiling measured on the same nats-server in the same run; then the SMETS1
 * half-hourly cache when a supplier and an MDR both read every meter's previous day once: its hit rate and the
 * device traffic it saves (commands that reached a meter ÷ reads), from the adapter's operations API.
 *
 *   cd loadtest && npm run bench:fleet-reads
 *
 * Env: FLEET_READS_METERS (100,000 distinct meters per adapter), FLEET_READS_IN_FLIGHT (200),
 * FLEET_READS_PARTITIONS (256), FLEET_READS_PATHS (`s2,s1`: which adapters; one per run keeps a run short).
 * Raw figures: loadtest/results/fleet-reads-<paths>-latest.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Requester } from '@dcc/bus';
import {
  GetSmets1StatusRequest,
  Smets1OperationsServiceClient,
  UserRole,
  type GetSmets1StatusResponse,
} from '@dcc/proto';
import { freePort, healthCheck, startNatsServer, startServiceProcess, waitFor } from '@dcc/testkit';
import { credentials } from '@grpc/grpc-js';
import { connect } from '@nats-io/transport-node';
import { machineFacts } from '../machine.js';
import { natsCeilingOn } from '../nats-ceilings.js';
import { childCpuMs, pidCpuMs } from '../process-usage.js';
import { ProfileReads } from './profile-reads.js';

const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
const MDR = '90-B3-D5-1F-30-03-00-00';

const env = (name: string, fallback: number): number => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
};
const METERS = env('FLEET_READS_METERS', 100_000);
const IN_FLIGHT = env('FLEET_READS_IN_FLIGHT', 200);
const PARTITIONS = env('FLEET_READS_PARTITIONS', 256);
const PATHS = (process.env.FLEET_READS_PATHS ?? 's2,s1').split(',').map((p) => p.trim());
if (PATHS.some((p) => p !== 's1' && p !== 's2')) throw new Error('FLEET_READS_PATHS lists s2 and/or s1');
const runs = (path: 's1' | 's2') => PATHS.includes(path);
const RESULTS_FILE = fileURLToPath(
  new URL(`../../results/fleet-reads-${PATHS.join('-')}-latest.json`, import.meta.url),
);

const status = (client: Smets1OperationsServiceClient) =>
  new Promise<GetSmets1StatusResponse>((resolve, reject) =>
    client.getSmets1Status(GetSmets1StatusRequest.fromPartial({}), (error, reply) =>
      error ? reject(error) : resolve(reply),
    ),
  );
const sum = (s: GetSmets1StatusResponse, field: 'deviceExecutions' | 'delivered' | 'dcoCountersigned') =>
  s.cohorts.reduce((total, c) => total + Number(c[field]), 0);

async function main(): Promise<void> {
  const loadAverageAtStart = Math.round(loadavg()[0]! * 100) / 100;
  const machine = machineFacts();
  const server = await startNatsServer();
  const dataDir = mkdtempSync(join(tmpdir(), 'dcc-fleet-reads-'));
  const closers: (() => unknown)[] = [];
  try {
    const common = {
      NATS_URL: server.url,
      GRPC_HOST: '127.0.0.1',
      LOG_LEVEL: 'error',
      OPERATIONS_API_PLAINTEXT: 'true',
      METER_PARTITIONS: String(PARTITIONS),
      ACTOR_IDLE_MS: '2000',
    };
    const adapters: Partial<Record<'s1' | 's2', { pid: number | undefined; port: number }>> = {};
    for (const [path, entry, extra] of [
      ['s2', 'services/smets2-adapter/src/main.ts', {}],
      // The cache holds every meter's profile: a day's reads of the whole benchmark fleet.
      ['s1', 'services/smets1-adapter/src/main.ts', { HH_CACHE_MAX_ENTRIES: String(METERS) }],
    ] as const) {
      if (!runs(path)) continue;
      const port = await freePort();
      const child = startServiceProcess(entry, {
        ...common,
        ...extra,
        GRPC_PORT: String(port),
        INSTANCE_ID: `fleet-reads-${path}`,
        DATA_DIR: join(dataDir, path),
      });
      closers.push(async () => {
        child.child.kill('SIGTERM');
        await child.exited;
      });
      adapters[path] = { pid: child.child.pid, port };
      await waitFor(
        `${path} adapter serving`,
        () => healthCheck(`127.0.0.1:${port}`).catch(() => undefined),
        60_000,
        200,
      );
    }
    const cpu = () => ({
      'smets2-adapter': pidCpuMs(adapters.s2?.pid) ?? 0,
      'smets1-adapter': pidCpuMs(adapters.s1?.pid) ?? 0,
      'nats-server': childCpuMs('nats-server') ?? 0,
      'load generator': (process.cpuUsage().user + process.cpuUsage().system) / 1_000,
    });
    console.log(
      `fleet reads (${PATHS.join(', ')}): ${METERS.toLocaleString('en-GB')} meters per adapter, ${IN_FLIGHT} in ` +
        `flight, P ${PARTITIONS}; ${machine.cpus} × ${machine.cpuModel}, load average ${loadAverageAtStart}`,
    );

    const nc = await connect({ servers: server.url, name: 'fleet-reads' });
    closers.push(() => nc.close());
    const requester = new Requester(nc, { timeoutMs: 30_000 });
    closers.push(() => requester.close());
    const reads = new ProfileReads(nc, requester, PARTITIONS);
    await reads.ready();
    // Ready: each adapter answers a first read (its partitions leased, its consumer pulling); meters beyond the
    // benchmark's, so the passes below start cold.
    for (const path of (['s2', 's1'] as const).filter(runs))
      await reads.read(path, METERS + 1, SUPPLIER, UserRole.USER_ROLE_IMPORT_SUPPLIER);

    // The bare ceiling on the same nats-server, same run.
    const ceiling = await natsCeilingOn(server, { warmupMs: 1_000, durationMs: 10_000 });
    console.log(`bare NATS request/reply ceiling: ${ceiling.opsPerSec.toLocaleString('en-GB')} req/s`);

    const result: Record<string, unknown> = {
      generatedAt: new Date().toISOString(),
      command: `FLEET_READS_PATHS=${PATHS.join(',')} FLEET_READS_METERS=${METERS} npm run bench:fleet-reads -w @dcc/loadtest`,
      machine: { ...machine, loadAverageAtStart },
      settings: { meters: METERS, inFlight: IN_FLIGHT, partitions: PARTITIONS, actorIdleMs: 2_000 },
      ceiling: { opsPerSec: ceiling.opsPerSec, latencyMs: ceiling.latencyMs },
    };
    if (runs('s2')) {
      const supplier = UserRole.USER_ROLE_IMPORT_SUPPLIER;
      const s2 = await reads.pass('s2', METERS, SUPPLIER, supplier, IN_FLIGHT, cpu);
      console.log(`SMETS2 4.8.1, ${METERS} distinct meters: ${s2.readsPerSec} reads/s`, s2);
      result.smets2 = { ...s2, ratioToCeiling: s2.readsPerSec / ceiling.opsPerSec };
    }
    if (runs('s1')) Object.assign(result, await smets1Day(reads, adapters.s1!.port, cpu, ceiling.opsPerSec));
    mkdirSync(dirname(RESULTS_FILE), { recursive: true });
    writeFileSync(RESULTS_FILE, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`wrote ${RESULTS_FILE}`);
  } finally {
    for (const close of closers.reverse()) await Promise.resolve(close()).catch(() => undefined);
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * The SMETS1 day: the supplier reads every meter's previous day (all misses: the DCO, the S1 service provider
 * and the meter each time), then the MDR reads the same (served from the cache); figures from the adapter's
 * operations API.
 */
async function smets1Day(
  reads: ProfileReads,
  port: number,
  cpu: () => Record<string, number>,
  ceiling: number,
): Promise<Record<string, unknown>> {
  const ops = new Smets1OperationsServiceClient(`127.0.0.1:${port}`, credentials.createInsecure());
  try {
    const before = await status(ops);
    const supplier = UserRole.USER_ROLE_IMPORT_SUPPLIER;
    const bySupplier = await reads.pass('s1', METERS, SUPPLIER, supplier, IN_FLIGHT, cpu);
    console.log(`SMETS1 4.8.1 by the supplier: ${bySupplier.readsPerSec} reads/s`, bySupplier);
    const middle = await status(ops);
    const mdr = UserRole.USER_ROLE_METER_DATA_RETRIEVER;
    const byMdr = await reads.pass('s1', METERS, MDR, mdr, IN_FLIGHT, cpu);
    console.log(`SMETS1 4.8.1 by the MDR (same meters, same day): ${byMdr.readsPerSec} reads/s`, byMdr);
    const after = await status(ops);
    const cache = (from: GetSmets1StatusResponse, to: GetSmets1StatusResponse) => {
      const hits = to.halfHourlyCache!.hits - from.halfHourlyCache!.hits;
      const misses = to.halfHourlyCache!.misses - from.halfHourlyCache!.misses;
      return {
        hits,
        misses,
        hitRate: hits / Math.max(1, hits + misses),
        deviceExecutions: sum(to, 'deviceExecutions') - sum(from, 'deviceExecutions'),
        dcoCountersigned: sum(to, 'dcoCountersigned') - sum(from, 'dcoCountersigned'),
      };
    };
    const day = cache(before, after);
    const figures = {
      smets1Supplier: { ...bySupplier, ratioToCeiling: bySupplier.readsPerSec / ceiling },
      smets1Mdr: { ...byMdr, ratioToCeiling: byMdr.readsPerSec / ceiling },
      cache: {
        supplierPass: cache(before, middle),
        mdrPass: cache(middle, after),
        day: {
          ...day,
          reads: 2 * METERS,
          deviceTrafficSaving: 1 - day.deviceExecutions / (2 * METERS),
          entriesAtEnd: after.halfHourlyCache!.entries,
        },
      },
    };
    console.log(JSON.stringify(figures.cache, null, 2));
    return figures;
  } finally {
    ops.close();
  }
}

await main();
process.exit();
