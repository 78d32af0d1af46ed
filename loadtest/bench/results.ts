import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { MachineFacts } from './machine.js';
import type { Measurement } from './measure.js';

export interface Ratio {
  product: string;
  ceiling: string;
  /** product ops/s divided by ceiling ops/s. */
  ratio: number;
}

export interface BenchReport {
  generatedAt: string;
  command: string;
  warmupSeconds: number;
  benchSeconds: number;
  machine: MachineFacts;
  results: Measurement[];
  ratios: Ratio[];
}

/** Which ceiling each product figure is compared with. */
export const COMPARISONS: readonly (readonly [product: string, ceiling: string])[] = [
  ['slice-unary', 'grpc-unary'],
  ['slice-unary', 'nats-request-reply'],
  ['slice-stream', 'grpc-stream'],
  ['slice-stream', 'nats-request-reply'],
  ['deployed-unary', 'grpc-unary'],
  ['deployed-stream', 'grpc-stream'],
  ['deployed-profile', 'grpc-stream'],
  ['deployed-unary', 'jetstream-publish-dedup'],
  ['deployed-stream', 'jetstream-publish-dedup'],
  ['deployed-profile', 'jetstream-publish-dedup'],
];

export function ratiosOf(results: readonly Measurement[]): Ratio[] {
  const byName = new Map(results.map((m) => [m.name, m]));
  return COMPARISONS.flatMap(([product, ceiling]) => {
    const p = byName.get(product);
    const c = byName.get(ceiling);
    if (!p || !c || c.opsPerSec === 0) return [];
    return [{ product, ceiling, ratio: Math.round((p.opsPerSec / c.opsPerSec) * 1_000) / 1_000 }];
  });
}

export function writeResults(file: string, report: BenchReport): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}

/** The figures as a fixed-width table for the terminal. */
export function formatTable(results: readonly Measurement[]): string {
  const header = [
    'benchmark',
    'in flight',
    'ops/s',
    'p50 ms',
    'p99 ms',
    'errors',
    'cpu %',
    'loop',
    'nats cpu %',
    'rss MB',
  ];
  const rows = results.map((m) => [
    m.name,
    String(m.concurrency),
    m.opsPerSec.toLocaleString('en-GB'),
    m.latencyMs.p50.toFixed(2),
    m.latencyMs.p99.toFixed(2),
    String(m.errors + m.abandoned),
    String(m.process.cpuPercent),
    m.process.eventLoopUtilization.toFixed(2),
    m.natsServer ? String(m.natsServer.cpuPercent) : '-',
    String(m.process.peakRssMb),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
