/**
 * SMETS2 adapter benchmark: one process starts a real nats-server and the SMETS2 adapter itself
 * (service-kit `startService`, as its main.ts would) with a 30,000,000-meter fleet, and reports
 *
 * - time from start to ready (startService resolved and every partition lease held by this instance) and the
 *   resident memory then (after a full GC), all 30 M meters passive;
 * - a closed loop of 4.1.1 MeterCommands to uniformly random meters, put durably on METER_MAIL as access control
 *   would (DurablePublisher over @dcc/bus Requester), each completed when its ServiceResponse is seen on a core
 *   NATS subscription to `dcc.resp.>`: commands/s, p50/p99;
 * - resident memory once every actor passivated again, and bytes per meter of the fleet;
 * - the bare NATS request/reply ceiling (nats-ceilings.ts) against the same nats-server, and the ratio.
 *
 *   cd loadtest && npm run bench:adapter
 *
 * Env: ADAPTER_FLEET_SIZE (30,000,000), BENCH_SECONDS (10 per measured loop, after 1 s warm-up),
 * ADAPTER_IN_FLIGHT (200), ADAPTER_PARTITIONS (256), ADAPTER_IDLE_MS (60,000: every actor the loop woke is still active when the heap is taken).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { decode, DurablePublisher, Requester, subjects } from '@dcc/bus';
import { partitionOf } from '@dcc/domain';
import { readImportRegisters } from '@dcc/e2e';
import { SimulatedFleet } from '@dcc/meter';
import {
  GetFleetStatusRequest,
  MeterCommand,
  RegistrationCspRegion,
  ServiceResponse,
  Smets2OperationsServiceClient,
} from '@dcc/proto';
import { startService, type RunningService } from '@dcc/service-kit';
import { smets2Adapter } from '@dcc/smets2-adapter';
import { startNatsServer } from '@dcc/testkit';
import { credentials } from '@grpc/grpc-js';
import { Kvm } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { machineFacts } from '../machine.js';
import { measure, type BenchSpec } from '../measure.js';
import { natsCeilingOn } from '../nats-ceilings.js';
import { gcExposed, mib, snapshot, type MemorySnapshot } from '../registry/memory.js';
import { ADAPTER_RESULTS_FILE, updateAdapterSection, type AdapterResult } from './adapter-report.js';

const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
const REGIONS = [
  RegistrationCspRegion.REGISTRATION_CSP_REGION_NORTH,
  RegistrationCspRegion.REGISTRATION_CSP_REGION_CENTRAL,
  RegistrationCspRegion.REGISTRATION_CSP_REGION_SOUTH,
];
const INSTANCE_ID = 'adapter-bench';
const GiB = 1_024 ** 3;
/** Issue 11: an active actor (the meter's activation, its state and the device edge's link) ≤ 1 KB. */
const TARGETS = { residentBytesAllPassive: 3 * GiB, bytesPerMeter: 100, heapBytesPerActiveActor: 1_024 };

const env = (name: string, fallback: number): number => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} "${process.env[name]}" is not a positive number`);
  return value;
};
const FLEET_SIZE = env('ADAPTER_FLEET_SIZE', 30_000_000);
const BENCH_SECONDS = env('BENCH_SECONDS', 10);
const IN_FLIGHT = env('ADAPTER_IN_FLIGHT', 200);
const PARTITIONS = env('ADAPTER_PARTITIONS', 256);
const IDLE_MS = env('ADAPTER_IDLE_MS', 60_000);
const TIMING = { warmupMs: 1_000, durationMs: Math.round(BENCH_SECONDS * 1_000) };
const COMMAND_TIMEOUT_MS = 30_000;
/** Longer than every request deadline in the process: the bench's Requester's 10 s, the adapter's 5 s. */
const REQUEST_DEADLINES_MS = 11_000;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
const memory = (s: MemorySnapshot) => ({
  rssBytes: s.rssBytes,
  rssMiB: round(s.rssBytes / 1_048_576, 1),
  heapUsedMiB: round(s.heapUsedBytes / 1_048_576, 1),
  externalMiB: round(s.externalBytes / 1_048_576, 1),
});

/** xorshift32: uniform in [0, 1), reproducible. */
function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4_294_967_296;
  };
}

/** Partitions whose lease (`p.<n>` in KV meter_leases_s2) names this instance. */
async function leasesHeld(nc: NatsConnection): Promise<number> {
  const kv = await new Kvm(nc).open('meter_leases_s2');
  let held = 0;
  const keys: string[] = [];
  for await (const key of await kv.keys('p.>')) keys.push(key);
  await Promise.all(
    keys.map(async (key) => {
      if ((await kv.get(key))?.string() === INSTANCE_ID) held++;
    }),
  );
  return held;
}

/** The adapter's operations API (gRPC): active actors and commands executed. */
function fleetStatus(client: Smets2OperationsServiceClient) {
  return new Promise<{ fleetSize: number; activeActors: number; commandsExecuted: number }>(
    (resolve, reject) =>
      client.getFleetStatus(GetFleetStatusRequest.fromPartial({}), (error, response) =>
        error ? reject(error) : resolve(response),
      ),
  );
}

/** Commands put on meters' mail subjects, answered when their response shows up on `dcc.resp.>`. */
class CommandSender {
  private readonly pending = new Map<string, (r: ServiceResponse) => void>();
  private readonly publisher: DurablePublisher;
  private counter = 0;
  readonly distinct = new Set<number>();
  readonly codes = new Map<string, number>();
  unmatched = 0;

  constructor(
    private readonly nc: NatsConnection,
    requester: Requester,
    private readonly fleet: SimulatedFleet,
  ) {
    this.publisher = new DurablePublisher(requester);
    nc.subscribe('dcc.resp.>', {
      callback: (_error, msg) => {
        const response = decode(ServiceResponse, msg.data, 'service response');
        const done = this.pending.get(response.requestId);
        if (!done) return void this.unmatched++;
        this.pending.delete(response.requestId);
        done(response);
      },
    });
  }

  ready(): Promise<void> {
    return this.nc.flush();
  }

  /** One 4.1.1 to meter `index` of the fleet; resolves with its response. */
  async send(index: number): Promise<ServiceResponse> {
    this.distinct.add(index);
    const deviceId = this.fleet.deviceId(index);
    const request = readImportRegisters(SUPPLIER, deviceId, ++this.counter);
    // With the inventory's facts about the device, as access control stores a command: the adapter routes by
    // them (a device without a recorded CSP region has no communications path).
    const command: MeterCommand = {
      request,
      userId: SUPPLIER,
      deviceId,
      acceptedAtMs: Date.now(),
      deviceType: 'ESME',
      cspRegion: REGIONS[index % REGIONS.length],
    };
    let timer: NodeJS.Timeout | undefined;
    const answered = new Promise<ServiceResponse>((resolve, reject) => {
      this.pending.set(request.requestId, resolve);
      timer = setTimeout(() => {
        this.pending.delete(request.requestId);
        reject(new Error(`no response to ${request.requestId} within ${COMMAND_TIMEOUT_MS} ms`));
      }, COMMAND_TIMEOUT_MS);
    });
    try {
      await this.publisher.publish(
        subjects.meterMail('s2', partitionOf(deviceId, PARTITIONS), deviceId),
        MeterCommand,
        command,
      );
      const response = await answered;
      const code = response.responseCode || `status ${response.statusCode}`;
      this.codes.set(code, (this.codes.get(code) ?? 0) + 1);
      if (response.responseCode !== 'I0')
        throw new Error(`${request.requestId} answered ${code}: ${response.detail}`);
      return response;
    } finally {
      this.pending.delete(request.requestId);
      clearTimeout(timer);
    }
  }
}

async function main(): Promise<void> {
  const loadAverageAtStart = round(loadavg()[0]!);
  const machine = machineFacts();
  const server = await startNatsServer();
  const dataDir = mkdtempSync(join(tmpdir(), 'dcc-adapter-bench-'));
  let service: RunningService | undefined;
  const closers: (() => Promise<void> | void)[] = [];
  try {
    console.log(
      `adapter bench: fleet ${FLEET_SIZE.toLocaleString('en-GB')}, P ${PARTITIONS}, idle ${IDLE_MS} ms, ` +
        `${IN_FLIGHT} in flight, ${BENCH_SECONDS} s per loop; nats-server ${machine.natsServer} on ${server.url}; ` +
        `${machine.cpus} CPUs${gcExposed ? '' : ' (no --expose-gc: memory includes garbage)'}`,
    );
    const baseline = snapshot();

    // Start to ready: startService resolved, then every partition lease held by this instance.
    const startedAt = performance.now();
    service = await startService(smets2Adapter, {
      NATS_URL: server.url,
      GRPC_HOST: '127.0.0.1',
      GRPC_PORT: '0',
      LOG_LEVEL: 'error',
      // The bench reads the active-actor count from the operations API on this local plaintext server.
      OPERATIONS_API_PLAINTEXT: 'true',
      FLEET_SIZE: String(FLEET_SIZE),
      METER_PARTITIONS: String(PARTITIONS),
      ACTOR_IDLE_MS: String(IDLE_MS),
      INSTANCE_ID,
      DATA_DIR: dataDir,
    });
    const startServiceSeconds = (performance.now() - startedAt) / 1_000;
    const nc = await connect({ servers: server.url, name: 'adapter-bench' });
    closers.push(() => nc.close());
    let held = await leasesHeld(nc);
    while (held < PARTITIONS) {
      if (performance.now() - startedAt > 60_000)
        throw new Error(`only ${held}/${PARTITIONS} partitions after 60 s`);
      await sleep(20);
      held = await leasesHeld(nc);
    }
    const readySeconds = (performance.now() - startedAt) / 1_000;
    const ready = snapshot();
    console.log(
      `ready in ${readySeconds.toFixed(2)} s (startService ${startServiceSeconds.toFixed(2)} s), ` +
        `${held}/${PARTITIONS} partitions; RSS ${mib(ready.rssBytes)} (baseline ${mib(baseline.rssBytes)})`,
    );

    const ops = new Smets2OperationsServiceClient(
      `127.0.0.1:${service.grpcPort}`,
      credentials.createInsecure(),
    );
    closers.push(() => ops.close());
    const requester = new Requester(nc, { timeoutMs: 10_000 });
    closers.push(() => requester.close());
    const fleet = new SimulatedFleet(FLEET_SIZE);
    const sender = new CommandSender(nc, requester, fleet);
    await sender.ready();
    const next = random(42);
    const pick = () => Math.floor(next() * FLEET_SIZE);

    // The first command: activation of a cold meter end to end.
    const firstAt = performance.now();
    await sender.send(pick());
    const firstCommandMs = performance.now() - firstAt;
    const firstAnsweredSeconds = (performance.now() - startedAt) / 1_000;

    // Bare NATS request/reply ceiling on the same nats-server (echo responder on its own connection).
    const ceiling = await natsCeilingOn(server, TIMING);
    console.log(`bare NATS request/reply: ${ceiling.opsPerSec.toLocaleString('en-GB')} req/s`);

    // Commands to random meters: activation + one 4.1.1 + durable response + write-through, closed loop.
    let peakActive = 0;
    const watch = setInterval(
      () =>
        void fleetStatus(ops).then(
          (s) => (peakActive = Math.max(peakActive, s.activeActors)),
          () => undefined,
        ),
      200,
    );
    const spec: BenchSpec = {
      name: 'adapter-4.1.1-random-meters',
      kind: 'product',
      description:
        '4.1.1 MeterCommand to a uniformly random meter, durable publish to response on dcc.resp.>',
      concurrency: IN_FLIGHT,
      op: async () => {
        await sender.send(pick());
      },
    };
    const load = await measure(spec, TIMING);
    clearInterval(watch);
    // The bus keeps each request's token until its deadline (a Requester sweeps by deadline, not by answer): wait
    // until the loop's have lapsed, or the tokens of the last seconds' requests (about 500,000 at this rate) would
    // count as actors' heap. Every actor the loop woke is still active (ACTOR_IDLE_MS has not passed): the heap they
    // hold is the heap now less the heap once they are all passivated again, both after a full GC.
    await sleep(REQUEST_DEADLINES_MS);
    const activeAfterLoad = (await fleetStatus(ops)).activeActors;
    const afterLoad = snapshot();
    const activeAfterGc = (await fleetStatus(ops)).activeActors;
    console.log(
      `commands: ${load.opsPerSec.toLocaleString('en-GB')} /s, p50 ${load.latencyMs.p50} ms, p99 ${load.latencyMs.p99} ms, ` +
        `errors ${load.errors}${load.firstError ? ` (${load.firstError})` : ''}; ` +
        `${sender.distinct.size.toLocaleString('en-GB')} distinct meters; peak active ${peakActive}`,
    );

    // Passivation: every actor leaves memory after ACTOR_IDLE_MS.
    const idleStart = performance.now();
    let status = await fleetStatus(ops);
    while (status.activeActors > 0 && performance.now() - idleStart < IDLE_MS + 30_000) {
      await sleep(100);
      status = await fleetStatus(ops);
    }
    const passivatedAfterSeconds = (performance.now() - idleStart) / 1_000;
    const passive = snapshot();
    console.log(
      `active ${status.activeActors} after ${passivatedAfterSeconds.toFixed(1)} s; RSS ${mib(passive.rssBytes)} ` +
        `= ${(passive.rssBytes / FLEET_SIZE).toFixed(1)} B/meter`,
    );

    const activeMeasured = Math.min(activeAfterLoad, activeAfterGc);
    const heapBytesPerActiveActor =
      activeMeasured > 0 ? round((afterLoad.heapUsedBytes - passive.heapUsedBytes) / activeMeasured) : 0;
    console.log(
      `heap per active actor: ${heapBytesPerActiveActor} B (${activeAfterLoad} → ${activeAfterGc} active ` +
        `around the snapshot, heap ${mib(afterLoad.heapUsedBytes)} → ${mib(passive.heapUsedBytes)} when all passive)`,
    );

    const ratio = ceiling.opsPerSec > 0 ? round(load.opsPerSec / ceiling.opsPerSec, 3) : 0;
    const report: AdapterResult = {
      generatedAt: new Date().toISOString(),
      command: 'npm run bench:adapter -w @dcc/loadtest',
      machine: { ...machine, loadAverageAtStart },
      gcExposed,
      settings: {
        fleetSize: FLEET_SIZE,
        partitions: PARTITIONS,
        actorIdleMs: IDLE_MS,
        inFlight: IN_FLIGHT,
        warmupSeconds: TIMING.warmupMs / 1_000,
        benchSeconds: BENCH_SECONDS,
        store:
          'adapter default: LMDB working set (temp DATA_DIR) + the METER_STATE_S2 journal, write-through',
      },
      boot: {
        startServiceSeconds: round(startServiceSeconds),
        readySeconds: round(readySeconds),
        partitionsOwned: held,
        firstCommandMs: round(firstCommandMs, 1),
        firstAnsweredSeconds: round(firstAnsweredSeconds),
        baseline: memory(baseline),
        ready: memory(ready),
        readyBytesPerMeter: round(ready.rssBytes / FLEET_SIZE),
      },
      ceiling: ceiling,
      commands: {
        ...load,
        distinctMeters: sender.distinct.size,
        commandsAnswered: commandsAnswered(sender),
        responseCodes: Object.fromEntries(sender.codes),
        unmatchedResponses: sender.unmatched,
        peakActiveActors: peakActive,
        activeAfterLoad: activeMeasured,
        heapBytesPerActiveActor,
        commandsExecutedByAdapter: status.commandsExecuted,
        afterLoad: memory(afterLoad),
        ratioToNatsCeiling: ratio,
      },
      passivated: {
        activeActors: status.activeActors,
        secondsUntilAllPassive: round(passivatedAfterSeconds, 1),
        memory: memory(passive),
        bytesPerMeter: round(passive.rssBytes / FLEET_SIZE),
        bytesPerMeterOverBaseline: round(Math.max(0, passive.rssBytes - baseline.rssBytes) / FLEET_SIZE),
        peakRssMiB:
          passive.peakRssBytes === undefined ? undefined : round(passive.peakRssBytes / 1_048_576, 1),
      },
      targets: {
        residentMemoryAllPassive: {
          limitBytes: TARGETS.residentBytesAllPassive,
          actualBytes: passive.rssBytes,
          met: status.activeActors === 0 && passive.rssBytes <= TARGETS.residentBytesAllPassive,
        },
        heapBytesPerActiveActor: {
          limitBytes: TARGETS.heapBytesPerActiveActor,
          actualBytes: heapBytesPerActiveActor,
          met: activeMeasured > 0 && heapBytesPerActiveActor <= TARGETS.heapBytesPerActiveActor,
        },
        bytesPerMeter: {
          limit: TARGETS.bytesPerMeter,
          actual: round(passive.rssBytes / FLEET_SIZE),
          met: passive.rssBytes / FLEET_SIZE <= TARGETS.bytesPerMeter,
        },
      },
    };
    mkdirSync(dirname(ADAPTER_RESULTS_FILE), { recursive: true });
    writeFileSync(ADAPTER_RESULTS_FILE, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`wrote ${ADAPTER_RESULTS_FILE}`);
    updateAdapterSection(report);
    console.log('updated docs/performance.md');
    if (!Object.values(report.targets).every((t) => t.met)) process.exitCode = 1;
  } finally {
    await service?.stop().catch((e: unknown) => console.error('adapter stop', e));
    for (const close of closers.reverse()) await Promise.resolve(close()).catch(() => undefined);
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function commandsAnswered(sender: CommandSender): number {
  return [...sender.codes.values()].reduce((a, b) => a + b, 0);
}

await main();
// The adapter's telemetry providers and timers are not ours to hunt down one by one.
process.exit();
