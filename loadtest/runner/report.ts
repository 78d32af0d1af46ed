import { cpus, loadavg } from 'node:os';
import type { RunResult, ScenarioResult } from './run-profile.ts';

const f = (n: number, digits = 0) =>
  n.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** The short human summary: one row per scenario, the verdicts that failed, and the nightly collection. */
export function summaryTable(result: RunResult): string {
  const rows = result.scenarios.map(
    (s) =>
      `| ${s.name} (${s.srv}) | ${f(s.intendedRatePerSecond, 2)} | ${f(s.achievedRatePerSecond, 2)} | ${f(s.attempted)} | ${f(s.completed)} | ${f(s.failed)} | ${lat(s.i99.count, s.i99.p50)} | ${lat(s.i99.count, s.i99.p99)} | ${lat(s.i0.count, s.i0.p50)} | ${lat(s.i0.count, s.i0.p95)} | ${lat(s.i0.count, s.i0.p99)} | ${verdict(s)} |`,
  );
  return [
    '| scenario (SRV) | sent /s | I0 /s | sent | I0 | failed | I99 p50 ms | I99 p99 ms | I0 p50 ms | I0 p95 ms | I0 p99 ms | thresholds |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|',
    ...rows,
  ].join('\n');
}

const lat = (count: number, v: number) => (count === 0 ? '-' : f(v, v < 100 ? 1 : 0));

function verdict(s: ScenarioResult): string {
  if (s.verdicts.length === 0) return 'none ran';
  const failed = s.verdicts.filter((v) => !v.passed);
  return failed.length === 0
    ? 'pass'
    : `**FAIL** ${failed.map((v) => `${v.check} ${f(v.value, 2)} ≥ ${v.limit}`).join('; ')}`;
}

/** Failures by reason, so a reader sees what the hub answered. */
export function reasons(result: RunResult): string[] {
  const lines: string[] = [];
  for (const s of result.scenarios) {
    for (const [reason, n] of Object.entries(s.failures))
      lines.push(`- ${s.name}: ${f(n)} failed: ${reason}`);
  }
  return lines;
}

export function nightlyLine(result: RunResult): string | undefined {
  const n = result.nightlyCollection;
  if (!n) return undefined;
  const perHour = result.secondsPerHour;
  const projected = perHour
    ? ` = ${f(n.seconds / perHour, 2)} hours of the compressed day (window ${f(n.windowSeconds / perHour, 0)} h)`
    : '';
  return `Nightly collection: ${f(n.completed)} of ${f(n.requests)} meters answered (I0) ${f(n.seconds, 1)} s after its first intended start, in a ${f(n.windowSeconds, 0)} s arrival window${projected}.`;
}

export function machineLine(): string {
  const c = cpus();
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');
  return `${c.length} × ${c[0]?.model.trim() ?? 'CPU'}, shared: load average ${load} (1 / 5 / 15 min) at the end of the run.`;
}
