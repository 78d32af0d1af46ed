import { freePort, waitFor } from '@dcc/testkit';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// Ctrl-C on `npm start`: a terminal sends SIGINT to its whole foreground process group. The hub must still stop
// in order (services drain against a live nats-server, then nats-server), quickly, and leave nothing running.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const runDir = mkdtempSync(join(tmpdir(), 'dcc-start-'));

/** Processes whose command line or environment names this test's run directory: what start.mjs started. */
function ours(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const seen = ['cmdline', 'environ'].map((f) => readFileSync(`/proc/${entry}/${f}`, 'latin1')).join('');
      if (seen.includes(runDir)) pids.push(Number(entry));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return pids;
}

afterAll(() => {
  for (const pid of ours()) process.kill(pid, 'SIGKILL'); // only after a failure
  rmSync(runDir, { recursive: true, force: true });
});

describe('npm start and Ctrl-C', () => {
  it('stops in order within 15 s when the whole process group gets SIGINT, leaving no process', async () => {
    const env = {
      ...process.env,
      DCC_RUN_DIR: runDir,
      FLEET_SIZE: '100',
      NATS_PORT: String(await freePort()),
      ACCESS_CONTROL_PORT: String(await freePort()),
      SMETS2_ADAPTER_PORT: String(await freePort()),
      SMETS1_ADAPTER_PORT: String(await freePort()),
      REGISTRATION_PORT: String(await freePort()),
      GRID_FEEDS_PORT: String(await freePort()),
      PREPAYMENT_PORT: String(await freePort()),
    };
    // Its own process group, as a terminal's foreground job is.
    const start = spawn(process.execPath, ['scripts/start.mjs'], {
      cwd: ROOT,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    start.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    start.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((resolve) => start.once('exit', (code) => resolve(code)));
    await waitFor('the hub to run', () => output.includes('Ctrl-C stops everything cleanly'), 280_000, 250);
    expect(output).toMatch(/← I0 ResponseID/);
    expect(ours().length).toBeGreaterThanOrEqual(6); // nats-server and five services

    const signalled = Date.now();
    process.kill(-start.pid!, 'SIGINT'); // the terminal's Ctrl-C: every process of the group
    expect(await exited).toBe(0);
    const seconds = (Date.now() - signalled) / 1000;
    expect(seconds).toBeLessThan(15);
    expect(output).toMatch(/access-control stopped[\s\S]*smets2-adapter stopped[\s\S]*nats-server stopped/);

    const logs = readdirSync(join(runDir, 'logs'))
      .map((f) => readFileSync(join(runDir, 'logs', f), 'utf8'))
      .join('\n');
    expect(logs).not.toMatch(/drain failed/);
    expect(logs).not.toMatch(/TIMEOUT|timed out/i);
    expect(ours()).toEqual([]);
  }, 300_000);
});
