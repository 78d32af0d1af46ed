import { Requester, requestTyped, streams, subjects } from '@dcc/bus';
import { DAY_MS } from '@dcc/domain';
import { RoutedScheduleRequest, RoutedScheduleResponse, ScheduleFrequency, UserRole } from '@dcc/proto';
import { createSchedulingService, SCHEDULES_BUCKET, SHARDS_PER_USER, type Scheduler } from '@dcc/scheduling';
import { startService } from '@dcc/service-kit';
import { startNatsServer } from '@dcc/testkit';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { scaledScheduleShards } from '../../runner/schedule-shards.ts';
import { replaceDocSection } from '../doc-section.js';
import { machineFacts } from '../machine.js';

/**
 * The scheduling service alone, through its real NATS interface and a real nats-server: N daily 4.8.1
 * schedules created over `dcc.scheduling.request` (as access control routes 5.1), then one night: the clock is
 * moved past every run's due time and one scheduler pass submits all runs to SCHEDULED_RUNS. Access control and
 * the adapters are not running, so this is the scheduler's share of a night, not the night end to end.
 *
 *   npm run bench:scheduling -w @dcc/loadtest      (SCHED_SCHEDULES, default 100000; SCHED_CONCURRENCY 256)
 */
const SCHEDULES = Number(process.env.SCHED_SCHEDULES ?? 100_000);
const CONCURRENCY = Number(process.env.SCHED_CONCURRENCY ?? 256);
/** Packed as densely as the national estate's schedules are. */
const SHARDS = scaledScheduleShards(SCHEDULES);
const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
const D = Math.floor(Date.now() / DAY_MS) * DAY_MS + DAY_MS;
/** Runs spread over a 6-hour window: the execution times are spread evenly from 00:00 to 06:00. */
const WINDOW_S = 6 * 3_600;

const device = (n: number) => {
  const hex = n.toString(16).toUpperCase().padStart(8, '0');
  return `00-DB-12-00-${hex.slice(0, 2)}-${hex.slice(2, 4)}-${hex.slice(4, 6)}-${hex.slice(6, 8)}`;
};

function natsRssMiB(storeDir: string): number {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(storeDir)) continue;
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      return rss ? Number(rss[1]) / 1024 : NaN;
    } catch {
      // a process that ended while we looked
    }
  }
  return NaN;
}

const duMiB = (dir: string) =>
  Number(execFileSync('du', ['-sk', dir], { encoding: 'utf8' }).split('\t')[0]) / 1024;

const nats = await startNatsServer();
let now = D - DAY_MS / 2;
let scheduler: Scheduler | undefined;
const service = await startService(
  createSchedulingService({ clock: () => now, onStarted: (s) => (scheduler = s) }),
  {
    NATS_URL: nats.url,
    GRPC_PORT: '0',
    LOG_LEVEL: 'error',
    SCHEDULER_TICK_MS: '3600000',
    SCHEDULE_SHARDS: String(SHARDS),
  },
);
const nc = await connect({ servers: nats.url });
const requester = new Requester(nc);

const createStarted = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (next < SCHEDULES) {
      const n = next++;
      await requestTyped(
        requester,
        subjects.schedulingRequest,
        {
          codec: RoutedScheduleRequest,
          message: {
            userId: SUPPLIER,
            userRole: UserRole.USER_ROLE_IMPORT_SUPPLIER,
            instantMs: now,
            operation: {
              $case: 'create',
              value: {
                scheduledServiceReferenceVariant: '4.8.1',
                deviceId: device(n),
                frequency: ScheduleFrequency.SCHEDULE_FREQUENCY_DAILY,
                startDateMs: D,
                endDateMs: 0,
                executionTimeS: Math.floor((n * WINDOW_S) / SCHEDULES),
                startDateOffset: -1,
                startTimeS: 0,
                endDateOffset: 0,
                endTimeS: 0,
                purpose: 'MHHS',
              },
            },
          },
        },
        RoutedScheduleResponse,
        30_000,
      );
    }
  }),
);
const createS = (performance.now() - createStarted) / 1000;
const jsm = await jetstreamManager(nc);
const bytesOf = async (stream: string) => (await jsm.streams.info(stream)).state.bytes;
const kvBytes = await bytesOf(`KV_${SCHEDULES_BUCKET}`);
const kvKeys = (await jsm.streams.info(`KV_${SCHEDULES_BUCKET}`)).state.num_subjects ?? 0;
const dueBytes = await bytesOf(streams.scheduleDue.name);
const rssAfterCreate = natsRssMiB(nats.storeDir);

// The night: the clock jumps past the window; one pass submits every run, bucket by bucket in time order.
now = D + WINDOW_S * 1000 + 120_000;
const nightStarted = performance.now();
const submitted = await scheduler!.tick();
const nightS = (performance.now() - nightStarted) / 1000;
const runsBytes = await bytesOf(streams.scheduledRuns.name);
const rssAfterNight = natsRssMiB(nats.storeDir);
const diskMiB = duMiB(nats.storeDir);
const stats = scheduler!.stats;

await nc.close();
await service.stop();
await nats.stop();

const machine = machineFacts();
const perSchedule = (bytes: number) => Math.round(bytes / SCHEDULES);
const rate = (n: number, s: number) => Math.round(n / s).toLocaleString('en-GB');
const at30M = (bytes: number) => ((bytes / SCHEDULES) * 30e6) / 1024 ** 3;
const section = `## Scheduling

\`npm run bench:scheduling -w @dcc/loadtest\` (${new Date().toISOString().slice(0, 10)}; ${machine.cpus} cores
${machine.cpuModel}, Node ${machine.node}, nats-server ${machine.natsServer}; the machine shared with other work). The
scheduling service alone through its real NATS interface and a real nats-server (file store): ${SCHEDULES.toLocaleString('en-GB')}
daily 4.8.1 schedules created over \`dcc.scheduling.request\` (${CONCURRENCY} in flight), their runs spread over a
6-hour window, then one night: the test clock moved past the window and one scheduler pass. **Access control and
the adapters were not running**: this measures the scheduler's share of a night (reading the due index, the
record's shard, submitting each run to SCHEDULED_RUNS, indexing the next period, purging what ran), not the night
end to end, not TRT compliance, not rate flatness (the pass submits as fast as it can; pacing runs across the
window is the collection plan, not built).

| figure | value |
|---|---|
| schedules created | ${SCHEDULES.toLocaleString('en-GB')} in ${createS.toFixed(1)} s (${rate(SCHEDULES, createS)}/s) |
| runs submitted in one pass | ${submitted.toLocaleString('en-GB')} in ${nightS.toFixed(1)} s (${rate(submitted, nightS)}/s); late ${stats.late}, skipped ${stats.skipped} |
| KV \`${SCHEDULES_BUCKET}\` (${SHARDS.toLocaleString('en-GB')} shards, as densely packed as 30 million schedules in ${SHARDS_PER_USER.toLocaleString('en-GB')}) | ${perSchedule(kvBytes)} B per schedule on disk (${(kvBytes / 1024 ** 2).toFixed(1)} MiB), ${kvKeys.toLocaleString('en-GB')} keys |
| due index \`SCHEDULE_DUE\` after creation | ${perSchedule(dueBytes)} B per pending run |
| \`SCHEDULED_RUNS\` after the night (not consumed) | ${perSchedule(runsBytes)} B per run |
| nats-server RSS after creation / after the night | ${rssAfterCreate.toFixed(0)} / ${rssAfterNight.toFixed(0)} MiB |
| nats-server store on disk after the night | ${diskMiB.toFixed(0)} MiB |

Extrapolated linearly to 30 million schedules (not measured): the \`${SCHEDULES_BUCKET}\` bucket ${at30M(kvBytes).toFixed(1)} GiB
and the due index ${at30M(dueBytes).toFixed(1)} GiB on disk; one pass at the rate above would take
${(30e6 / (submitted / nightS) / 3600).toFixed(1)} hours of scheduler time on this machine, before access control's
checks and the meters' work, which the end-to-end figures above (load tests) bound. nats-server's memory for a KV
bucket grows with its number of keys (its subject index), which this run's RSS shows only at this size.
`;
const doc = fileURLToPath(new URL('../../../docs/performance.md', import.meta.url));
replaceDocSection(doc, 'Scheduling', section);
console.log(section);
