import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { FLEET_SIZE, SUPPLIER } from '../config.js';
import { measure, type BenchSpec } from '../measure.js';
import { sliceStream, sliceUnary } from '../slice-benches.js';
import { startSliceHub } from '../slice-hub.js';

/**
 * CPU per read of the in-process slice rows (`slice-unary`, `slice-stream`), for comparing two versions of the
 * request path on a shared machine: a rate measured there says how busy the machine was, the CPU time this
 * process and its nats-server spent per completed read much less so. One hub serves every round (its start is
 * most of `npm run bench`'s slice time); the rows alternate and the median of the rounds is printed.
 *
 *   npm run bench:slice-cpu -w @dcc/loadtest      (SLICE_CPU_ROUNDS, default 3; BENCH_SECONDS per row, default 5;
 *                                                 SLICE_CPU_ROWS=slice-stream for one row)
 *
 * Profile the same load with `node --cpu-prof` on this script: each row's measured window is printed in the
 * profile's clock (µs of the monotonic clock), to cut it out of the profile. SLICE_HEAP_PROFILE=<file> writes a
 * sampling heap profile of the rows' windows that keeps the objects already collected (the garbage per read).
 */
const ROUNDS = Number(process.env.SLICE_CPU_ROUNDS ?? 3);
const ROWS = process.env.SLICE_CPU_ROWS?.split(',');
const timing = { warmupMs: 1_000, durationMs: Math.round(Number(process.env.BENCH_SECONDS ?? 5) * 1_000) };

const slice = await startSliceHub(SUPPLIER, FLEET_SIZE);
const heapProfile = process.env.SLICE_HEAP_PROFILE;
const inspector = heapProfile ? new Session() : undefined;
inspector?.connect();
const perRead: Record<string, { node: number; nats: number; rate: number }[]> = {};
try {
  for (let round = 0; round < ROUNDS; round++) {
    const stream = sliceStream(slice);
    const rows: BenchSpec[] = round % 2 === 0 ? [sliceUnary(slice), stream] : [stream, sliceUnary(slice)];
    for (const row of rows.filter((r) => !ROWS || ROWS.includes(r.name))) {
      const from = process.hrtime.bigint() / 1_000n + BigInt(timing.warmupMs * 1_000);
      await inspector?.post('HeapProfiler.startSampling', {
        samplingInterval: 16_384,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      });
      const m = await measure(row, timing);
      if (inspector) {
        const { profile } = await inspector.post('HeapProfiler.stopSampling');
        writeFileSync(heapProfile!, JSON.stringify(profile));
      }
      const to = from + BigInt(timing.durationMs * 1_000);
      if (m.errors > 0) throw new Error(`${m.name}: ${m.errors} errors, first: ${m.firstError}`);
      const node = ((m.process.cpuUserMs + m.process.cpuSystemMs) * 1_000) / m.ops;
      const nats = ((m.natsServer?.cpuMs ?? NaN) * 1_000) / m.ops;
      (perRead[m.name] ??= []).push({ node, nats, rate: m.opsPerSec });
      console.log(
        `round ${round + 1} ${m.name.padEnd(12)} ${String(m.opsPerSec).padStart(6)} reads/s  ` +
          `Node ${node.toFixed(0)} µs/read  nats-server ${nats.toFixed(0)} µs/read  (window ${from}-${to} µs)`,
      );
    }
    stream.close();
  }
} finally {
  await slice.close();
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const [name, runs] of Object.entries(perRead)) {
  console.log(
    `median ${name.padEnd(12)} Node ${median(runs.map((r) => r.node)).toFixed(0)} µs/read, nats-server ` +
      `${median(runs.map((r) => r.nats)).toFixed(0)} µs/read (${median(runs.map((r) => r.rate))} reads/s)`,
  );
}
process.exit(0);
