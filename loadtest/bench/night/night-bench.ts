import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ON_DEMAND_TRT_MS } from '@dcc/domain';
import { USERS } from '../../model/index.ts';
import { OPERATOR_ID, startHubStack } from '../../runner/hub-stack.ts';
import { loadEstate } from '../../runner/load-estate.ts';
import { readResponses } from '../../runner/response-reader.ts';
import { LOADTEST_DIR } from '../config.js';
import { jetStreamCeiling } from '../deployed/jetstream-ceiling.js';
import { measure } from '../measure.js';
import { childPids, pidCpuMs } from '../process-usage.js';
import { natsUsage, settledNatsUsage, streamFootprints } from './nats-footprint.ts';
import { memoryByStream } from './nats-memory-by-stream.ts';
import { NightObserver } from './night-observer.ts';
import { writeNightReport } from './night-report.ts';
import { createNightSchedules } from './night-schedules.ts';
import { NATIONAL_WINDOW_S, nightSettings, SCHEDULED_TRT_S } from './night-settings.ts';

/**
 * One night of settlement collection end to end, compressed in time (night-settings.ts): the services as separate
 * processes over mutual TLS (runner/hub-stack.ts), a generated estate loaded through registration's bulk feed (LoadFeedChunks), one
 * daily 4.8.1 schedule per meter for its supplier and an meter data retriever's for a share, created over gRPC as the Users
 * would; then the scheduling service restarted on a test clock ten seconds before the collection window opens, the
 * runs released by the collection plan, re-checked by access control, read from the simulated meters, and
 * answered on the Users' Responses streams, where this process counts them.
 *
 *   npm run bench:night -w @dcc/loadtest   (NIGHT_WINDOW_MIN, NIGHT_METERS, NIGHT_MDR_SHARE, NIGHT_LANE_RATE)
 */
const settings = nightSettings();
const DAY_MS = 86_400_000;
const firstDayMs = Math.floor(Date.now() / DAY_MS) * DAY_MS + DAY_MS;
const mdrMeters = Math.round(settings.meters * settings.mdrShare);
const runs = settings.meters + mdrMeters;
const compression = NATIONAL_WINDOW_S / (settings.windowMin * 60);

const workDir = mkdtempSync(join(tmpdir(), 'dcc-bench-night-'));
const log = (line: string) => console.log(`[night] ${line}`);
log(
  `${settings.meters} meters, ${runs} schedules, a ${settings.windowMin}-minute window (${compression}× compressed)`,
);
const stack = await startHubStack(workDir, settings.meters);
try {
  const natsBaseline = natsUsage(stack.natsStoreDir);
  let started = performance.now();
  await loadEstate(stack.registrationAddress, stack.credentialsOf(OPERATOR_ID), settings.meters, mdrMeters);
  const estateS = (performance.now() - started) / 1000;
  log(`estate loaded in ${estateS.toFixed(1)} s`);
  const schedules = await createNightSchedules(
    stack.address,
    stack.credentialsOf,
    settings.meters,
    mdrMeters,
    firstDayMs,
    settings.createConcurrency,
  );
  log(`${schedules.created} schedules in ${schedules.seconds.toFixed(1)} s (${schedules.resent} resent)`);
  const natsBefore = natsUsage(stack.natsStoreDir);

  const observer = new NightObserver();
  const readers = [USERS.supplier, USERS.otherUser].map((user) =>
    readResponses(stack.address, stack.credentialsOf(user), user, observer.onResponse),
  );
  // The night: the scheduler's clock starts 10 s before the window opens at 01:00 on the schedules' first day.
  const windowOpensAtS = 3_600;
  const restartedAt = Date.now();
  await stack.restart('scheduling', {
    SCHEDULING_TEST_CLOCK_START_MS: String(firstDayMs + (windowOpensAtS - 10) * 1000),
    SCHEDULING_WINDOWS: `01:00-01:${String(settings.windowMin).padStart(2, '0')}`,
    SCHEDULING_LANE_RATE: String(settings.laneRate),
    PLAN_TICK_MS: '200',
  });
  // Real time of the scheduler's clock: it started when the restarted process read it, between these two instants.
  const clockStartedAt = restartedAt + (Date.now() - restartedAt) / 2;
  const windowStartMs = clockStartedAt + 10_000;
  const windowEndMs = windowStartMs + settings.windowMin * 60_000;
  // Every run fell due (00:30) before the clock's start: in the compressed night they are due from its start.
  const dueMs = clockStartedAt;
  const cpuBefore = cpuByProcess(stack.pids());
  started = performance.now();
  const deadline = windowEndMs + settings.windowMin * 60_000 * 2 + 60_000;
  let lastReport = 0;
  while (observer.answered < runs && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    if (Date.now() - lastReport > 10_000) {
      lastReport = Date.now();
      log(`${observer.answered} / ${runs} answered`);
    }
  }
  const cpuAfter = cpuByProcess(stack.pids());
  await new Promise((r) => setTimeout(r, 2_000)); // a straggler or a second answer would have come by now
  const natsAfter = natsUsage(stack.natsStoreDir);
  for (const reader of readers) reader.close();
  // What the stored data itself costs nats-server, without the night's caches and spent duplicate windows.
  const streams = await streamFootprints(stack.natsUrl);
  await stack.restartNats();
  const natsRestarted = await settledNatsUsage(stack.natsStoreDir);
  const figures = observer.figures(
    windowStartMs,
    windowEndMs,
    dueMs,
    (SCHEDULED_TRT_S * 1000) / compression,
    ON_DEMAND_TRT_MS,
  );
  const ceiling = await jetStreamCeiling(stack.natsUrl);
  const jetstream = await measure(ceiling.spec, { warmupMs: 1_000, durationMs: 5_000 });
  await ceiling.close();
  // Last, as it deletes the streams: what each stream accounts for in nats-server's memory after a restart.
  await stack.stopServices();
  const byStream = await memoryByStream(
    stack.natsUrl,
    stack.natsStoreDir,
    () => stack.restartNats(),
    streams,
  );
  const cpuS = Object.fromEntries(
    Object.entries(cpuAfter).map(([name, ms]) => [name, (ms - (cpuBefore[name] ?? 0)) / 1000]),
  );
  const report = {
    settings,
    runs,
    compression,
    estateS,
    schedules,
    figures,
    jetStreamCeilingOpsPerS: jetstream.opsPerSec,
    cpuS,
    nats: { baseline: natsBaseline, before: natsBefore, after: natsAfter, restarted: natsRestarted },
    streams,
    memoryByStream: byStream,
    crashed: stack.crashed(),
  };
  writeFileSync(join(LOADTEST_DIR, 'results', 'night-latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeNightReport(report);
  log(`${figures.answered} / ${runs} answered (${figures.executed} I0) in ${figures.wallS.toFixed(1)} s`);
  if (figures.answered < runs) process.exitCode = 1;
} finally {
  await stack.stop();
  rmSync(workDir, { recursive: true, force: true });
}

/** CPU time so far of each service process and nats-server, ms. */
function cpuByProcess(pids: Record<string, number>): Record<string, number> {
  const all = { ...pids, 'nats-server': childPids('nats-server')[0] };
  return Object.fromEntries(Object.entries(all).map(([name, pid]) => [name, pidCpuMs(pid) ?? 0]));
}
