#!/usr/bin/env node
// `npm test`: every test of the repository. Integration tests start their own nats-server (libs/testkit), so the
// only prerequisites are the nats-server and helm binaries, installed here when missing. Ends with one plain summary line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = (command, args) => spawnSync(command, args, { cwd: root, stdio: 'inherit' }).status ?? 1;

if (run('bash', ['scripts/install-tools.sh', 'nats-server']) !== 0) process.exit(1);
// helm renders the chart in e2e/test/helm-chart.spec.ts.
if (run('bash', ['scripts/install-tools.sh', 'deploy']) !== 0) process.exit(1);
mkdirSync(join(root, '.run'), { recursive: true });
const report = join(root, '.run', 'vitest-report.json');
const status = run('npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
  ...process.argv.slice(2),
]);
if (existsSync(report)) {
  const { numPassedTests, numFailedTests, numPendingTests } = JSON.parse(readFileSync(report, 'utf8'));
  console.log(`tests: ${numPassedTests} passed, ${numFailedTests} failed, ${numPendingTests} skipped`);
  if (numPassedTests === 0) process.exit(1);
}
process.exit(status);
