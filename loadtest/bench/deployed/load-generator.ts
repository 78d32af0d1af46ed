// The deployment-shape benchmark's load generator: its own OS process (deployed-bench.ts starts it once per row).
// Runs one closed loop with measure() against the hub's processes and prints the Measurement as JSON on its last
// stdout line, with every process's CPU time over the measured window read from /proc.
import { readFileSync } from 'node:fs';
import { HubClient, readImportRegisters } from '@dcc/e2e';
import { ServiceRequest } from '@dcc/proto';
import { Correlator } from '../correlator.js';
import { measure, type BenchSpec, type Measurement, type ProcessCpu } from '../measure.js';
import { pidCpuMs } from '../process-usage.js';
import { streamedReads, unaryReads } from '../slice-benches.js';
import { correlatedResponses } from '../slice-hub.js';
import { meterId, USERS } from '../../model/index.ts';
import { jetStreamCeiling } from './jetstream-ceiling.js';

export type DeployedMode = 'unary' | 'stream' | 'profile' | 'jetstream';

/** What the parent passes in DEPLOYED_LOAD (JSON). */
export interface LoadSettings {
  mode: DeployedMode;
  address: string;
  natsUrl: string;
  /** The supplier's mutual-TLS files. */
  tls: { ca: string; certificate: string; key: string };
  meters: number;
  warmupMs: number;
  durationMs: number;
  /** The hub's processes to account for, by name (the generator adds itself). */
  pids: Record<string, number>;
}

const DAY_MS = 86_400_000;
const PROFILE_IN_FLIGHT = 200;

async function main(): Promise<void> {
  const settings = JSON.parse(process.env.DEPLOYED_LOAD ?? '') as LoadSettings;
  const timing = { warmupMs: settings.warmupMs, durationMs: settings.durationMs };
  const clock = new ProcessClock({ ...settings.pids, 'load generator': process.pid });
  const report = (m: Measurement) => console.log(JSON.stringify({ ...m, processes: clock.perProcess(m) }));
  if (settings.mode === 'jetstream') {
    const ceiling = await jetStreamCeiling(settings.natsUrl);
    report(await measure(clock.watch(ceiling.spec), timing));
    await ceiling.close();
    return;
  }
  const client = new HubClient(settings.address, {
    ca: readFileSync(settings.tls.ca, 'utf8'),
    certificate: readFileSync(settings.tls.certificate, 'utf8'),
    privateKey: readFileSync(settings.tls.key, 'utf8'),
  });
  const { responses, subscription } = correlatedResponses(client, '');
  const spec = loop(settings, client, responses);
  report(await measure(clock.watch(spec), timing));
  spec.close?.();
  subscription.cancel();
  client.close();
}

/** The row's closed loop: one operation is one request, complete when its I0 arrives on Responses. */
function loop(
  settings: LoadSettings,
  client: HubClient,
  responses: Correlator<string>,
): BenchSpec & { close?(): void } {
  // Microseconds since the epoch: counters above any earlier run's for the same pairs.
  let counter = Date.now() * 1_000;
  let nextMeter = 0;
  // 4.1.1 reads the estate's upper half at random; 4.8.1 walks the lower half, each meter once (deployed-bench.ts).
  const half = Math.floor(settings.meters / 2);
  const random = () => meterId(half + Math.floor(Math.random() * (settings.meters - half)));
  const read = () => readImportRegisters(USERS.supplier, random(), counter++);
  const midnight = Date.now() - (Date.now() % DAY_MS);
  const profile = () =>
    ServiceRequest.fromJSON({
      requestId: `${USERS.supplier}:${meterId(nextMeter++ % half)}:${counter++}`,
      commandVariant: 1,
      serviceReferenceVariant: '4.8.1',
      userRole: 'USER_ROLE_IMPORT_SUPPLIER',
      readActiveImportProfileData: {
        period: { startMs: String(midnight - DAY_MS), endMs: String(midnight) },
      },
    });
  const rows = {
    unary: [read, 'unary Submit of 4.1.1 reads to random meters, submit -> I0 on Responses'],
    stream: [read, 'one SubmitStream call of 4.1.1 reads to random meters, write -> I0 on Responses'],
    profile: [
      profile,
      "one SubmitStream call of 4.8.1 reads (yesterday's half hours), each to a meter not read before in the run",
    ],
  } as const;
  const mode = settings.mode === 'jetstream' ? 'stream' : settings.mode;
  const [next, what] = rows[mode];
  const row = { name: `deployed-${mode}`, kind: 'deployed', description: `processes: ${what}` } as const;
  const reads = { client, next, responses };
  if (mode === 'unary') return unaryReads(reads, row);
  // 4.8.1 wakes a passive meter per read: 200 in flight, as the adapter's fleet-read benchmark runs it.
  return mode === 'profile' ? streamedReads(reads, row, PROFILE_IN_FLIGHT) : streamedReads(reads, row);
}

/** CPU time of the hub's processes over measure()'s window, read from /proc at its two edges. */
class ProcessClock {
  private before: Record<string, number | undefined> = {};
  private after: Record<string, number | undefined> = {};

  constructor(private readonly pids: Record<string, number>) {}

  watch<S extends BenchSpec>(spec: S): S {
    return {
      ...spec,
      onWindow: (edge: 'start' | 'end') => {
        if (edge === 'start') this.before = this.read();
        else this.after = this.read();
      },
    };
  }

  /** Each process's share of a core and CPU µs per operation completed in the window. */
  perProcess(m: Measurement): ProcessCpu[] {
    return Object.keys(this.pids).map((name) => {
      const ms = (this.after[name] ?? 0) - (this.before[name] ?? 0);
      return {
        name,
        cpuPercent: Math.round((ms / (m.seconds * 1_000)) * 100),
        usPerOp: m.ops > 0 ? Math.round((ms * 1_000) / m.ops) : 0,
      };
    });
  }

  private read(): Record<string, number | undefined> {
    return Object.fromEntries(Object.entries(this.pids).map(([name, pid]) => [name, pidCpuMs(pid)]));
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
