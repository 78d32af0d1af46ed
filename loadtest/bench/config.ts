import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** loadtest/, whatever the working directory the harness was started from. */
export const LOADTEST_DIR = fileURLToPath(new URL('..', import.meta.url));
export const REPO_DIR = fileURLToPath(new URL('../..', import.meta.url));
export const RESULTS_FILE = join(LOADTEST_DIR, 'results', 'bench-latest.json');
export const DOCS_FILE = join(REPO_DIR, 'docs', 'performance.md');

/** How the harness is meant to be started (recorded in the results and the docs). */
export const RUN_COMMAND = 'npm run bench -w @dcc/loadtest';

export interface Timing {
  warmupMs: number;
  durationMs: number;
}

/** Measured seconds per benchmark from BENCH_SECONDS (default 5), after a 1 s warm-up. */
export function timingFromEnv(env: NodeJS.ProcessEnv = process.env): Timing {
  const seconds = Number(env.BENCH_SECONDS ?? 5);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new Error(`BENCH_SECONDS "${env.BENCH_SECONDS}" is not a positive number`);
  return { warmupMs: 1_000, durationMs: Math.round(seconds * 1_000) };
}

/** Unmeasured reads a new slice hub serves before its first row (run.ts). */
export const SLICE_SETTLE_MS = 5_000;

/** The import supplier every product request is sent as (a DCC Boxed style development User). */
export const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
export const FLEET_SIZE = 100_000;
