import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addEstatePoint, generateEstate, RegistryView } from '@dcc/registry';
import { gcExposed, mib, snapshot, type MemorySnapshot } from './memory.js';
import { buildQuerySets, runQueries } from './query-rates.js';
import { updateRegistrySection } from './registry-report.js';

/**
 * Loads a generated national estate into a RegistryView and measures its load time and
 * rate, resident memory and bytes per meter point, and single-thread lookups/s.
 *
 *   cd loadtest && node --conditions=@dcc/source --expose-gc --import tsx bench/registry/registry-bench.ts
 *
 * Env: REGISTRY_POINTS (30,000,000), REGISTRY_CAPACITY (= points), REGISTRY_SEED (1),
 * REGISTRY_QUERIES (5,000,000 per query kind), REGISTRY_QUERY_SET (1,000,000 distinct random queries).
 */

const RESULTS_FILE = fileURLToPath(new URL('../../results/registry-latest.json', import.meta.url));
const TARGETS = { residentBytes: 4 * 1_024 ** 3, lookupsPerSecond: 1_000_000, loadSeconds: 600 };

const env = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`${name} "${process.env[name]}" is not a positive integer`);
  return value;
};

function main(): void {
  const startLoad = Math.round(loadavg()[0]! * 100) / 100;
  const points = env('REGISTRY_POINTS', 30_000_000);
  const capacity = env('REGISTRY_CAPACITY', points);
  const seed = env('REGISTRY_SEED', 1);
  const queries = env('REGISTRY_QUERIES', 5_000_000);
  const querySet = Math.min(env('REGISTRY_QUERY_SET', 1_000_000), queries);
  console.log(
    `registry bench: ${points.toLocaleString('en-GB')} points, capacity ${capacity.toLocaleString('en-GB')}, ` +
      `seed ${seed}; Node ${process.version}, ${cpus().length} CPUs; ` +
      (gcExposed
        ? 'GC before each memory snapshot (--expose-gc)'
        : 'no --expose-gc: memory figures include garbage'),
  );

  // The generator alone, so the view's own load cost can be told apart from making the data.
  const estate = generateEstate(points, seed);
  let started = performance.now();
  let checksum = 0;
  for (const p of estate.points()) checksum += p.deviceLow;
  const generateSeconds = (performance.now() - started) / 1_000;
  console.log(`  generate only        ${generateSeconds.toFixed(1)} s (checksum ${checksum % 1_000})`);

  const before = snapshot();
  started = performance.now();
  const view = new RegistryView({ capacity, parties: estate.parties });
  const allocateSeconds = (performance.now() - started) / 1_000;
  for (const p of estate.points()) {
    addEstatePoint(view, p);
    if (view.size % 5_000_000 === 0) {
      const s = (performance.now() - started) / 1_000;
      console.log(`  loaded ${view.size.toLocaleString('en-GB').padStart(11)}  ${s.toFixed(1)} s`);
    }
  }
  const buildSeconds = (performance.now() - started) / 1_000;
  const after = snapshot();
  const columns = view.columnBytes();
  const columnTotal = Object.values(columns).reduce((a, b) => a + b, 0);

  const sets = buildQuerySets(view, querySet, seed + 1);
  runQueries(view, sets, Math.min(querySet, 500_000)); // warm-up: let the JIT optimise the loops
  const rates = runQueries(view, sets, queries);
  const end = snapshot(); // after the query sets exist, for the record; `view` is still referenced below

  const loadRate = Math.round(points / buildSeconds);
  const deviceRate = rates[0]!.perSecond;
  const report = {
    generatedAt: new Date().toISOString(),
    command: 'cd loadtest && npm run bench:registry',
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
      totalMemoryGiB: Math.round((totalmem() / 1_024 ** 3) * 10) / 10,
      node: process.version,
      /** Other work on the machine skews the figures; the 1-minute load average when the bench started. */
      loadAverageAtStart: startLoad,
    },
    gcExposed,
    points,
    capacity,
    seed,
    historyEntries: view.historyLength,
    parties: view.parties.size,
    generateSeconds: round(generateSeconds),
    allocateSeconds: round(allocateSeconds),
    buildSeconds: round(buildSeconds),
    loadPointsPerSecond: loadRate,
    memoryBefore: before,
    memoryAfterLoad: after,
    memoryAfterQueries: end,
    viewResidentBytes: after.rssBytes - before.rssBytes,
    residentBytesPerPoint: round((after.rssBytes - before.rssBytes) / points),
    columnBytes: columns,
    columnBytesPerPoint: round(columnTotal / points),
    queries: rates,
    targets: {
      residentMemory: {
        limitBytes: TARGETS.residentBytes,
        actualBytes: after.rssBytes,
        met: after.rssBytes <= TARGETS.residentBytes,
      },
      lookupsPerSecond: {
        limit: TARGETS.lookupsPerSecond,
        actual: deviceRate,
        met: deviceRate >= TARGETS.lookupsPerSecond,
      },
      loadSeconds: {
        limit: TARGETS.loadSeconds,
        actual: round(buildSeconds),
        met: buildSeconds <= TARGETS.loadSeconds,
      },
    },
  };
  printReport(report, before, after);
  mkdirSync(dirname(RESULTS_FILE), { recursive: true });
  writeFileSync(RESULTS_FILE, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nwrote ${RESULTS_FILE}`);
  updateRegistrySection(JSON.parse(JSON.stringify(report)));
  console.log('updated docs/performance.md');
  // Reading the view here keeps every typed array reachable until all figures were taken.
  if (view.size !== points) throw new Error(`view holds ${view.size} points, expected ${points}`);
  if (!Object.values(report.targets).every((t) => t.met)) process.exitCode = 1;
}

type Report = {
  points: number;
  buildSeconds: number;
  generateSeconds: number;
  loadPointsPerSecond: number;
  residentBytesPerPoint: number;
  columnBytes: Record<string, number>;
  columnBytesPerPoint: number;
  historyEntries: number;
  queries: ReturnType<typeof runQueries>;
  targets: Record<string, { met: boolean }>;
};

function printReport(r: Report, before: MemorySnapshot, after: MemorySnapshot): void {
  const rows: [string, string][] = [
    ['meter points', r.points.toLocaleString('en-GB')],
    ['history entries', r.historyEntries.toLocaleString('en-GB')],
    ['generate only', `${r.generateSeconds} s`],
    ['build (generate + load)', `${r.buildSeconds} s`],
    ['load rate', `${r.loadPointsPerSecond.toLocaleString('en-GB')} points/s`],
    ['rss before / after', `${mib(before.rssBytes)} / ${mib(after.rssBytes)}`],
    ['peak rss', after.peakRssBytes === undefined ? '-' : mib(after.peakRssBytes)],
    ['heap used before / after', `${mib(before.heapUsedBytes)} / ${mib(after.heapUsedBytes)}`],
    ['external before / after', `${mib(before.externalBytes)} / ${mib(after.externalBytes)}`],
    ['arrayBuffers before / after', `${mib(before.arrayBuffersBytes)} / ${mib(after.arrayBuffersBytes)}`],
    ['resident bytes / point', String(r.residentBytesPerPoint)],
    ['column bytes / point', String(r.columnBytesPerPoint)],
  ];
  for (const [column, bytes] of Object.entries(r.columnBytes)) {
    rows.push([`  ${column}`, `${mib(bytes)}  (${(bytes / r.points).toFixed(2)} B/point)`]);
  }
  for (const q of r.queries) {
    rows.push([q.name, `${q.perSecond.toLocaleString('en-GB')} /s  (${q.cores} cores, ${q.wrong} wrong)`]);
  }
  for (const [name, target] of Object.entries(r.targets))
    rows.push([`target ${name}`, target.met ? 'met' : 'MISSED']);
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log('');
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

main();
