import {
  DOCS_FILE,
  FLEET_SIZE,
  RESULTS_FILE,
  RUN_COMMAND,
  SLICE_SETTLE_MS,
  SUPPLIER,
  timingFromEnv,
} from './config.js';
import { grpcStream, grpcUnary } from './grpc-ceilings.js';
import { startGrpcEcho } from './grpc-echo.js';
import { deployedMeters, runDeployed } from './deployed/deployed-bench.js';
import { machineFacts } from './machine.js';
import { measure, type BenchSpec, type Measurement } from './measure.js';
import { natsRequestDefault, natsRequestReply } from './nats-ceilings.js';
import { startNatsEcho } from './nats-echo.js';
import { updatePerformanceDoc } from './report.js';
import { formatTable, ratiosOf, writeResults, type BenchReport } from './results.js';
import { sliceStream, sliceUnary } from './slice-benches.js';
import { startSliceHub } from './slice-hub.js';

/** Runs the ceilings and the product slice one after the other, then writes the JSON and the docs section. */
async function main(): Promise<void> {
  const timing = timingFromEnv();
  const machine = machineFacts();
  console.log(
    `bench: ${machine.cpus} CPUs, Node ${machine.node}, nats-server ${machine.natsServer}; ` +
      `${timing.warmupMs / 1_000} s warm-up + ${timing.durationMs / 1_000} s per benchmark`,
  );
  // BENCH_ONLY=name[,name] runs a subset (e.g. for profiling); the committed figures are then left alone.
  const only = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',')) : undefined;
  const wanted = (...names: string[]) => !only || names.some((n) => only.has(n));
  const results: Measurement[] = [];
  const show = (m: Measurement): void => {
    const trouble =
      m.errors + m.abandoned > 0 ? `  errors ${m.errors}, abandoned ${m.abandoned}: ${m.firstError}` : '';
    console.log(
      `${m.opsPerSec.toLocaleString('en-GB').padStart(9)} ops/s  p50 ${m.latencyMs.p50} ms  ` +
        `p99 ${m.latencyMs.p99} ms${trouble}`,
    );
  };
  const run = async (spec: BenchSpec): Promise<void> => {
    if (!wanted(spec.name)) return;
    process.stdout.write(`  ${spec.name.padEnd(22)} `);
    const m = await measure(spec, timing);
    results.push(m);
    show(m);
  };

  if (wanted('nats-request-reply', 'nats-request-default')) {
    const nats = await startNatsEcho();
    try {
      const own = natsRequestReply(nats);
      await run(own);
      own.close();
      await run(natsRequestDefault(nats));
    } finally {
      await nats.close();
    }
  }

  if (wanted('grpc-unary', 'grpc-stream')) {
    const grpc = await startGrpcEcho();
    try {
      await run(grpcUnary(grpc));
      const stream = grpcStream(grpc);
      await run(stream);
      stream.close();
    } finally {
      await grpc.close();
    }
  }

  if (wanted('slice-unary', 'slice-stream')) {
    const slice = await startSliceHub(SUPPLIER, FLEET_SIZE);
    try {
      // A freshly started hub compiles its whole request path during the first seconds of reads; the slice's first
      // row measured that start-up (about a sixth below the same row run again) instead of the steady state.
      await measure(sliceUnary(slice), { warmupMs: SLICE_SETTLE_MS, durationMs: 1 });
      await run(sliceUnary(slice));
      const stream = sliceStream(slice);
      await run(stream);
      stream.close();
    } finally {
      await slice.close();
    }
  }

  // The deployment shape: every service, nats-server and the load generator as separate processes.
  const deployedRows = ['deployed-stream', 'deployed-unary', 'deployed-profile', 'jetstream-publish-dedup'];
  if (wanted(...deployedRows)) {
    const meters = deployedMeters();
    console.log(`  deployment shape: starting nats-server and the services as processes, ${meters} meters`);
    await runDeployed(
      timing,
      meters,
      (name) => wanted(name),
      (m) => {
        process.stdout.write(`  ${m.name.padEnd(22)} `);
        results.push(m);
        show(m);
      },
    );
  }

  const report: BenchReport = {
    generatedAt: new Date().toISOString(),
    command: RUN_COMMAND,
    warmupSeconds: timing.warmupMs / 1_000,
    benchSeconds: timing.durationMs / 1_000,
    machine,
    results,
    ratios: ratiosOf(results),
  };
  console.log(`\n${formatTable(results)}\n`);
  for (const r of report.ratios)
    console.log(`  ${r.product} / ${r.ceiling}: ${(r.ratio * 100).toFixed(1)} %`);
  if (only) {
    // BENCH_JSON=<file>: a subset's raw figures (per-process CPU included) for comparing settings side by side.
    if (process.env.BENCH_JSON) writeResults(process.env.BENCH_JSON, report);
    console.log('\nBENCH_ONLY is set: results and docs left unchanged');
    return;
  }
  writeResults(RESULTS_FILE, report);
  updatePerformanceDoc(report);
  console.log(`\nwrote ${RESULTS_FILE}\nupdated ${DOCS_FILE}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
