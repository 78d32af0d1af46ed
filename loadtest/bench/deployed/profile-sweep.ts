// The 4.8.1 sweep: is the rate of profile reads of distinct meters flat over a national-scale run? The hub runs as in
// the deployed benchmark (runner/hub-stack.ts: nats-server and each service their own process, mutual TLS), the
// estate of SWEEP_METERS (default 1,000,000) is loaded through registration's bulk feed, and one generator process
// (sweep-generator.ts) reads every meter once. Every BUCKET_MS this process samples each hub process's CPU and RSS
// from /proc. Writes loadtest/results/profile-sweep-latest.json and its section of docs/performance.md.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { USERS } from '../../model/index.ts';
import { startHubStack, OPERATOR_ID } from '../../runner/hub-stack.ts';
import { loadEstate } from '../../runner/load-estate.ts';
import { rssBytes } from '../ingest/proc.js';
import { machineFacts } from '../machine.js';
import { childPids, pidCpuMs } from '../process-usage.js';
import type { SweepRun, SweepSettings } from './sweep-generator.js';
import { writeSweepSection, type ProcessSample, type SweepResults } from './profile-sweep-report.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const GENERATOR = fileURLToPath(new URL('./sweep-generator.ts', import.meta.url));
const METERS = Number(process.env.SWEEP_METERS ?? 1_000_000);
const BUCKET_MS = Number(process.env.SWEEP_BUCKET_MS ?? 10_000);

async function main(): Promise<void> {
  if (!Number.isInteger(METERS) || METERS < 1) throw new Error(`SWEEP_METERS "${METERS}" is not a count`);
  const measuredAt = new Date().toISOString();
  const workDir = mkdtempSync(join(tmpdir(), 'dcc-bench-sweep-'));
  const stack = await startHubStack(workDir, METERS);
  try {
    const t0 = performance.now();
    const feed = await loadEstate(stack.registrationAddress, stack.credentialsOf(OPERATOR_ID), METERS);
    const loadSeconds = (performance.now() - t0) / 1000;
    console.log(`estate of ${METERS.toLocaleString('en-GB')} meters loaded in ${loadSeconds.toFixed(1)} s`);
    const natsPid = childPids('nats-server')[0];
    const pids: Record<string, number> = { ...stack.pids(), ...(natsPid ? { 'nats-server': natsPid } : {}) };
    const samples: ProcessSample[] = [sample(pids, 0)];
    const started = performance.now();
    const timer = setInterval(() => {
      const at = sample(pids, (performance.now() - started) / 1000);
      samples.push(at);
      const cpu = at.processes.map((p) => `${p.name} ${mib(p.rssBytes)} MiB`).join(', ');
      console.log(`${Math.round(at.atSec)} s: ${cpu}`);
    }, BUCKET_MS);
    const run = await sweep({
      address: stack.address,
      tls: {
        ca: stack.pki.caCertificate,
        certificate: stack.pki.userCertificate(USERS.supplier),
        key: stack.pki.userKey(USERS.supplier),
      },
      meters: METERS,
      bucketMs: BUCKET_MS,
    });
    clearInterval(timer);
    samples.push(sample(pids, (performance.now() - started) / 1000));
    const crashed = stack.crashed();
    if (crashed.length > 0) throw new Error(`hub processes exited during the sweep: ${crashed.join(', ')}`);
    const results: SweepResults = {
      measuredAt,
      machine: machineFacts(),
      meters: METERS,
      estateLoad: { seconds: loadSeconds, lines: feed.lines, eventsRecorded: feed.eventsRecorded },
      bucketMs: BUCKET_MS,
      run,
      samples,
    };
    writeFileSync(
      `${ROOT}loadtest/results/profile-sweep-latest.json`,
      `${JSON.stringify(results, null, 2)}\n`,
    );
    writeSweepSection(`${ROOT}docs/performance.md`, results);
    console.log(
      `${run.reads.toLocaleString('en-GB')} reads in ${run.seconds.toFixed(0)} s (${Math.round(run.reads / run.seconds)}/s), ${run.errors} errors`,
    );
  } finally {
    await stack.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** Each hub process's CPU time so far and resident memory. */
function sample(pids: Record<string, number>, atSec: number): ProcessSample {
  return {
    atSec,
    processes: Object.entries(pids).map(([name, pid]) => ({
      name,
      cpuMs: pidCpuMs(pid) ?? Number.NaN,
      rssBytes: rssBytes(pid),
    })),
  };
}

/** Runs the generator process; its last stdout line is the run. */
function sweep(settings: SweepSettings): Promise<SweepRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=@dcc/source', '--import', 'tsx', GENERATOR], {
      cwd: ROOT,
      env: { ...process.env, SWEEP_LOAD: JSON.stringify(settings) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('exit', (code) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code === 0 && last.startsWith('{')) resolve(JSON.parse(last) as SweepRun);
      else reject(new Error(`sweep generator exited ${code}: ${err.slice(-2_000)}`));
    });
  });
}

const mib = (bytes: number) => Math.round(bytes / 2 ** 20);

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
