import { readFileSync } from 'node:fs';

export interface MemorySnapshot {
  rssBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  externalBytes: number;
  arrayBuffersBytes: number;
  /** Highest RSS of the process so far (VmHWM), when /proc is there. */
  peakRssBytes: number | undefined;
}

const gc = (globalThis as { gc?: () => void }).gc;

/** True when node was started with --expose-gc, so snapshots are taken after a full collection. */
export const gcExposed = typeof gc === 'function';

/** process.memoryUsage() after a full GC when available (garbage from building would inflate heap figures). */
export function snapshot(): MemorySnapshot {
  gc?.();
  gc?.();
  const usage = process.memoryUsage();
  return {
    rssBytes: usage.rss,
    heapUsedBytes: usage.heapUsed,
    heapTotalBytes: usage.heapTotal,
    externalBytes: usage.external,
    arrayBuffersBytes: usage.arrayBuffers,
    peakRssBytes: peakRss(),
  };
}

function peakRss(): number | undefined {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) * 1_024 : undefined;
  } catch {
    return undefined;
  }
}

export function mib(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MiB`;
}
