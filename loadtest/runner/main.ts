// The in-repo load runner: `smoke` or `full-day` (loadtest/README.md). Exits non-zero when a threshold fails.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fullDayProfile, smokeProfile, withOverrides, type Profile } from '../model/index.ts';
import { recordResult, summaryLines } from './record.ts';
import { machineLine } from './report.ts';
import { runProfile, type RunResult } from './run-profile.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const which = process.argv[2];
const record = process.argv.includes('--record');
const number = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);

let profile: Profile;
let command: string;
if (which === 'smoke') {
  profile = smokeProfile(number('LOADTEST_ESTATE_SIZE') ?? 2_000, number('LOADTEST_SECONDS') ?? 20);
  command = 'npm run loadtest:smoke';
} else if (which === 'full-day') {
  profile = fullDayProfile(number('LOADTEST_ESTATE_SIZE') ?? 5_000, number('LOADTEST_SECONDS') ?? 300);
  command = 'npm run loadtest:full-day';
} else {
  console.error('usage: main.ts smoke|full-day [--record | --record-last]');
  process.exit(2);
}
profile = {
  ...profile,
  thresholds: withOverrides(
    profile.thresholds,
    process.env.LOADTEST_THRESHOLDS ? JSON.parse(process.env.LOADTEST_THRESHOLDS) : undefined,
  ),
};

const workDir = process.env.LOADTEST_WORK_DIR ?? join(ROOT, '.run', 'loadtest', profile.name);
const resultFile = join(workDir, 'result.json');
let result: RunResult & { machine: string };
if (process.argv.includes('--record-last')) {
  // Records the last run of this profile without running it again.
  result = JSON.parse(readFileSync(resultFile, 'utf8'));
} else {
  console.log(
    `load test "${profile.name}": ${profile.estateSize} meters, services as processes, real nats-server`,
  );
  const run = await runProfile(profile, workDir);
  result = { ...run, machine: machineLine() };
  mkdirSync(workDir, { recursive: true });
  writeFileSync(resultFile, JSON.stringify(result, null, 2));
}
console.log(summaryLines(result).join('\n'));
if (record || process.argv.includes('--record-last')) recordResult(ROOT, result, command);
console.log(`thresholds: ${result.passed ? 'pass' : 'FAIL'}`);
process.exit(result.passed ? 0 : 1);
