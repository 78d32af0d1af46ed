import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { USERS } from '../../model/index.ts';
import { startHubStack, OPERATOR_ID } from '../../runner/hub-stack.ts';
import { loadEstate } from '../../runner/load-estate.ts';
import type { Timing } from '../config.js';
import type { Measurement } from '../measure.js';
import { childPids } from '../process-usage.js';
import type { DeployedMode, LoadSettings } from './load-generator.js';

const WARMUP_MS = 3_000;
const FIRST_ROW_WARMUP_MS = 10_000;
const GENERATOR = fileURLToPath(new URL('./load-generator.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../../..', import.meta.url));

/** Meter points of the deployed hub's estate (DEPLOYED_METERS): enough that the 4.8.1 row reads each once. */
export function deployedMeters(env: NodeJS.ProcessEnv = process.env): number {
  const meters = Number(env.DEPLOYED_METERS ?? 40_000);
  if (!Number.isInteger(meters) || meters < 1)
    throw new Error(`DEPLOYED_METERS "${env.DEPLOYED_METERS}" is not a count`);
  return meters;
}

/**
 * The deployment shape: nats-server, registration, scheduling, the SMETS2 adapter and access control as separate
 * OS processes over mutual TLS (runner/hub-stack.ts, as the load tests run them), the estate loaded through
 * registration's LoadFeed, and each row's load generator as one more process (load-generator.ts): streamed and
 * unary 4.1.1 of random meters, streamed 4.8.1 of distinct meters, and JetStream's own stored-publish ceiling on
 * that nats-server (`ROWS`). `wanted` selects rows by name. Each row's measurement carries every process's CPU over
 * its window.
 */
export async function runDeployed(
  timing: Timing,
  meters: number,
  wanted: (name: string) => boolean,
  onRow: (m: Measurement) => void,
): Promise<Measurement[]> {
  const workDir = mkdtempSync(join(tmpdir(), 'dcc-bench-deployed-'));
  const stack = await startHubStack(workDir, meters);
  const results: Measurement[] = [];
  try {
    await loadEstate(stack.registrationAddress, stack.credentialsOf(OPERATOR_ID), meters);
    const natsPid = childPids('nats-server')[0];
    const pids = { ...stack.pids(), ...(natsPid ? { 'nats-server': natsPid } : {}) };
    const settings = (mode: DeployedMode, warmupMs: number): LoadSettings => ({
      mode,
      address: stack.address,
      natsUrl: stack.natsUrl,
      tls: {
        ca: stack.pki.caCertificate,
        certificate: stack.pki.userCertificate(USERS.supplier),
        key: stack.pki.userKey(USERS.supplier),
      },
      meters,
      warmupMs,
      durationMs: timing.durationMs,
      pids,
    });
    for (const [mode, name] of ROWS) {
      if (!wanted(name)) continue;
      // A fresh generator process per row: a longer warm-up than in-process rows, longest for the first row,
      // whose services have served nothing yet (it ran at a fraction of its later rate without).
      const warmupMs = Math.max(timing.warmupMs, results.length === 0 ? FIRST_ROW_WARMUP_MS : WARMUP_MS);
      const m = await generate(settings(mode, warmupMs));
      const crashed = stack.crashed();
      if (crashed.length > 0) throw new Error(`hub processes exited during ${name}: ${crashed.join(', ')}`);
      results.push(m);
      onRow(m);
    }
  } finally {
    await stack.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
  return results;
}

/**
 * The 4.1.1 rows first (random meters of the estate's upper half), then 4.8.1 on services that are warm by then,
 * each read to a meter of the lower half that nothing read before (the nightly collection's case: every read
 * wakes a passive meter). JetStream's ceiling comes last: the ~100,000 messages it stores (and deletes) keep
 * nats-server busy for seconds afterwards, which stalled a row run right after it.
 */
const ROWS: readonly (readonly [DeployedMode, string])[] = [
  ['stream', 'deployed-stream'],
  ['unary', 'deployed-unary'],
  ['profile', 'deployed-profile'],
  ['jetstream', 'jetstream-publish-dedup'],
];

/** Runs one load generator process; its last stdout line is the Measurement. */
function generate(settings: LoadSettings): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=@dcc/source', '--import', 'tsx', GENERATOR], {
      cwd: REPO,
      env: { ...process.env, DEPLOYED_LOAD: JSON.stringify(settings) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('exit', (code) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code === 0 && last.startsWith('{')) resolve(JSON.parse(last) as Measurement);
      else reject(new Error(`load generator (${settings.mode}) exited ${code}: ${err.slice(-2_000)}`));
    });
  });
}
