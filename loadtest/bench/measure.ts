import { performance } from 'node:perf_hooks';
import type { Timing } from './config.js';
import { LatencyRecorder } from './latency-recorder.js';
import { childCpuMs } from './process-usage.js';

export type BenchKind = 'ceiling' | 'product' | 'deployed';

/** One benchmark: `op` is one operation, run by `concurrency` closed-loop workers. */
export interface BenchSpec {
  name: string;
  kind: BenchKind;
  description: string;
  concurrency: number;
  op(): Promise<void>;
  /** Called as the measured window opens and closes (e.g. to read other processes' CPU time). */
  onWindow?(edge: 'start' | 'end'): void;
}

export interface Measurement {
  name: string;
  kind: BenchKind;
  description: string;
  concurrency: number;
  /** Length of the measured window, after warm-up. */
  seconds: number;
  /** Operations completed inside the measured window. */
  ops: number;
  errors: number;
  firstError?: string;
  /** Operations still outstanding when the drain timed out after the window. */
  abandoned: number;
  opsPerSec: number;
  latencyMs: { p50: number; p99: number; max: number };
  /** This Node process over the measured window (CPU can exceed 100 %: GC and libuv threads count too). */
  process: {
    rssMb: number;
    peakRssMb: number;
    cpuUserMs: number;
    cpuSystemMs: number;
    cpuPercent: number;
    /** Share of the window the main thread's event loop was busy (0..1): 1 means the JS thread is the limit. */
    eventLoopUtilization: number;
  };
  /** The nats-server child process over the measured window, when there is one and /proc is readable. */
  natsServer?: { cpuMs: number; cpuPercent: number };
  /** Deployment shape: every process of the hub over the measured window (load generator included). */
  processes?: ProcessCpu[];
}

export interface ProcessCpu {
  name: string;
  cpuPercent: number;
  /** CPU time per completed operation, µs. */
  usPerOp: number;
}

const DRAIN_TIMEOUT_MS = 15_000;
const MB = 1024 * 1024;

/**
 * Closed-loop load: `concurrency` workers each run `op` back to back. The first `warmupMs` are discarded;
 * completions during the next `durationMs` are counted and their latencies (start to completion) recorded.
 * Then the workers stop starting operations and the outstanding ones are awaited (bounded), so the next
 * benchmark starts quiet.
 */
export async function measure(spec: BenchSpec, timing: Timing): Promise<Measurement> {
  let phase: 'warmup' | 'measure' | 'stopping' = 'warmup';
  const latencies = new LatencyRecorder();
  let ops = 0;
  let errors = 0;
  let firstError: string | undefined;
  let outstanding = 0;

  const worker = async (): Promise<void> => {
    while (phase !== 'stopping') {
      const start = performance.now();
      outstanding++;
      try {
        await spec.op();
        if (phase === 'measure') {
          ops++;
          latencies.add(performance.now() - start);
        }
      } catch (error) {
        if (phase === 'measure') errors++;
        firstError ??= error instanceof Error ? error.message : String(error);
        await new Promise((r) => setTimeout(r, 1)); // a failing op must not spin the loop
      } finally {
        outstanding--;
      }
    }
  };

  const workers = Array.from({ length: spec.concurrency }, () => worker());
  await sleep(timing.warmupMs);

  phase = 'measure';
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 200);
  const cpuBefore = process.cpuUsage();
  const eluBefore = performance.eventLoopUtilization();
  const natsBefore = childCpuMs('nats-server');
  spec.onWindow?.('start');
  const startedAt = performance.now();
  await sleep(timing.durationMs);
  phase = 'stopping';
  const elapsedMs = performance.now() - startedAt;
  spec.onWindow?.('end');
  const cpu = process.cpuUsage(cpuBefore);
  const elu = performance.eventLoopUtilization(eluBefore);
  const natsAfter = childCpuMs('nats-server');
  clearInterval(sampler);
  const rss = process.memoryUsage.rss();
  peakRss = Math.max(peakRss, rss);

  const drained = await Promise.race([
    Promise.all(workers).then(() => true),
    sleep(DRAIN_TIMEOUT_MS).then(() => false),
  ]);
  const [p50, p99, max] = latencies.percentiles(50, 99, 100) as [number, number, number];
  const cpuMs = (cpu.user + cpu.system) / 1_000;
  return {
    name: spec.name,
    kind: spec.kind,
    description: spec.description,
    concurrency: spec.concurrency,
    seconds: round(elapsedMs / 1_000, 3),
    ops,
    errors,
    ...(firstError === undefined ? {} : { firstError }),
    abandoned: drained ? 0 : outstanding,
    opsPerSec: Math.round(ops / (elapsedMs / 1_000)),
    latencyMs: { p50: round(p50, 2), p99: round(p99, 2), max: round(max, 2) },
    process: {
      rssMb: Math.round(rss / MB),
      peakRssMb: Math.round(peakRss / MB),
      cpuUserMs: Math.round(cpu.user / 1_000),
      cpuSystemMs: Math.round(cpu.system / 1_000),
      cpuPercent: Math.round((cpuMs / elapsedMs) * 100),
      eventLoopUtilization: round(elu.utilization, 2),
    },
    ...(natsBefore !== undefined && natsAfter !== undefined
      ? {
          natsServer: {
            cpuMs: Math.round(natsAfter - natsBefore),
            cpuPercent: Math.round(((natsAfter - natsBefore) / elapsedMs) * 100),
          },
        }
      : {}),
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
