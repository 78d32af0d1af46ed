import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { replaceDocSection } from '../bench/doc-section.ts';
import { latencySvg } from './latency-svg.ts';
import { nightlyLine, reasons, summaryTable } from './report.ts';
import type { RunResult } from './run-profile.ts';

/** The human summary printed after a run and written into docs/performance.md. */
export function summaryLines(result: RunResult): string[] {
  return [
    summaryTable(result),
    '',
    ...reasons(result),
    nightlyLine(result) ?? '',
    result.servicesCrashed.length ? `Services that crashed: ${result.servicesCrashed.join(', ')}` : '',
  ].filter((l, i, all) => l !== '' || all[i - 1] !== '');
}

/** Writes a run's JSON to loadtest/results, its latency SVG to docs/ and its section of docs/performance.md. */
export function recordResult(root: string, result: RunResult & { machine: string }, command: string): void {
  const name = `loadtest-${result.profile}`;
  writeFileSync(
    join(root, 'loadtest', 'results', `${name}-latest.json`),
    JSON.stringify(result, null, 2) + '\n',
  );
  writeFileSync(
    join(root, 'docs', `${name}.svg`),
    latencySvg(result, `${result.profile}: submit → I0 over the run`),
  );
  const heading = result.profile === 'smoke' ? 'Load test: smoke' : 'Load test: full day';
  const started = result.startedAt.slice(0, 16).replace('T', ' ');
  replaceDocSection(
    join(root, 'docs', 'performance.md'),
    heading,
    [
      `## ${heading}`,
      '',
      `<!-- Written by loadtest/runner (\`${command} -- --record\`); edits here are overwritten. -->`,
      '',
      `Command: \`${command}\` (what it does: [loadtest/README.md](../loadtest/README.md)). Run ${started} UTC:`,
      `${result.estateSize.toLocaleString('en-GB')} meters registered through registration's bulk feed (LoadFeedChunks) in ` +
        `${result.estateLoadSeconds.toFixed(1)} s, then ${result.runSeconds.toFixed(0)} s of arrivals` +
        (result.secondsPerHour ? ` (${result.secondsPerHour} s per hour of the day).` : '.'),
      `Machine: ${result.machine} The load generator, the three services (separate processes) and nats-server`,
      "share it with other engineers' work, so the figures carry that contention.",
      'Latency is from each iteration\'s intended start (open model); "sent /s" and "I0 /s" are over the',
      "scenario's active window.",
      '',
      ...summaryLines(result),
      '',
      `![submit → I0 latency over the run](${name}.svg)`,
      '',
      `Raw figures: \`loadtest/results/${name}-latest.json\`. Verdict: **${result.passed ? 'pass' : 'FAIL'}**.`,
      '',
    ].join('\n'),
  );
}
