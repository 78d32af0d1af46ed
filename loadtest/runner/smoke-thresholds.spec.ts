import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// The smoke is a CI gate only if a failed threshold fails the command. A short smoke (services as processes, a
// real nats-server, a 200-meter estate) with a submit → I0 p99 limit of 0 ms, which no run can meet, must exit 1
// and say which threshold failed.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const workDir = mkdtempSync(join(tmpdir(), 'dcc-loadtest-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function smoke(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--conditions=@dcc/source', '--import', 'tsx', 'loadtest/runner/main.ts', 'smoke'],
      { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('the smoke profile as a CI gate', () => {
  it('exits non-zero and names the threshold when one is made impossible', async () => {
    const { code, output } = await smoke({
      LOADTEST_SECONDS: '4',
      LOADTEST_ESTATE_SIZE: '200',
      LOADTEST_WORK_DIR: workDir,
      LOADTEST_THRESHOLDS: JSON.stringify({ i0: { p99Ms: 0 } }),
    });
    expect(output).toMatch(/\| on-demand-reads \(4\.1\.1\) \|.*\*\*FAIL\*\* submit→I0 p99 ms/);
    expect(output).toContain('thresholds: FAIL');
    expect(code).toBe(1);
  }, 180_000);
});
