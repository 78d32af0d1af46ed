// The in-repo load runner: `smoke` or `full-day` (loadtest/README.md). Exits non-zero when a threshold fails.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fullDayProfile, smokeProfile, withOverrides, type Profile } from '../model/index.ts';
import { replaceDocSection } from '../bench/doc-section.ts';
import { latencySvg } from './latency-svg.ts';
import { machineLine, nightlyLine, reasons, summaryTable } from './report.ts';
import { runProfile } from './run-profile.ts';

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
  console.error('usage: main.ts smoke|full-day [--record]');
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
console.log(
  `load test "${profile.name}": ${profile.estateSize} meters, services as processes, real nats-server`,
);
const result = await runProfile(profile, workDir);
const machine = machineLine();
const summary = [
  summaryTable(result),
  '',
  ...reasons(result),
  nightlyLine(result) ?? '',
  result.servicesCrashed.length ? `Services that crashed: ${result.servicesCrashed.join(', ')}` : '',
].filter((l, i, all) => l !== '' || all[i - 1] !== '');
console.log(summary.join('\n'));
mkdirSync(workDir, { recursive: true });
writeFileSync(join(workDir, 'result.json'), JSON.stringify({ ...result, machine }, null, 2));

if (record) {
  const name = `loadtest-${profile.name}`;
  writeFileSync(
    join(ROOT, 'loadtest', 'results', `${name}-latest.json`),
    JSON.stringify({ ...result, machine }, null, 2) + '\n',
  );
  writeFileSync(
    join(ROOT, 'docs', `${name}.svg`),
    latencySvg(result, `${profile.name}: submit → I0 over the run`),
  );
  const heading = profile.name === 'smoke' ? 'Load test: smoke' : 'Load test: full day';
  replaceDocSection(
    join(ROOT, 'docs', 'performance.md'),
    heading,
    [
      `## ${heading}`,
      '',
      `<!-- Written by loadtest/runner (\`${command} -- --record\`); edits here are overwritten. -->`,
      '',
      `Command: \`${command}\` (what it does: [loadtest/README.md](../loadtest/README.md)). Run ${result.startedAt.slice(0, 16).replace('T', ' ')} UTC,`,
      `${result.estateSize.toLocaleString('en-GB')} meters registered through registration's LoadFeed in ${result.estateLoadSeconds.toFixed(1)} s, ${result.runSeconds.toFixed(0)} s of arrivals` +
        (result.secondsPerHour ? ` (${result.secondsPerHour} s per hour of the day).` : '.'),
      `Machine: ${machine} Load generator, the three services (separate processes) and nats-server share it.`,
      'Latency from each iteration\'s intended start (open model); "sent /s" and "I0 /s" over the scenario\'s active window.',
      '',
      ...summary,
      '',
      `![submit → I0 latency over the run](${name}.svg)`,
      '',
      `Raw figures: \`loadtest/results/${name}-latest.json\`. Verdict: **${result.passed ? 'pass' : 'FAIL'}**.`,
      '',
    ].join('\n'),
  );
}
console.log(`thresholds: ${result.passed ? 'pass' : 'FAIL'}`);
process.exit(result.passed ? 0 : 1);
