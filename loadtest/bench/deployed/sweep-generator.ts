// The 4.8.1 sweep's load generator (profile-sweep.ts starts it as its own OS process): one SubmitStream call reads
// yesterday's half hours from every meter of the estate once, in order, PROFILE_IN_FLIGHT at a time, as the nightly
// collection does, and prints on its last stdout line how many reads completed in each BUCKET_MS of the run.
import { readFileSync } from 'node:fs';
import { HubClient } from '@dcc/e2e';
import { ServiceRequest, type SubmitStreamResponse } from '@dcc/proto';
import { LatencyRecorder } from '../latency-recorder.js';
import { correlatedResponses } from '../slice-hub.js';
import { meterId, USERS } from '../../model/index.ts';

/** What the parent passes in SWEEP_LOAD (JSON). */
export interface SweepSettings {
  address: string;
  tls: { ca: string; certificate: string; key: string };
  meters: number;
  bucketMs: number;
}

/** One bucket of the run: reads completed in it and their latencies. */
export interface SweepBucket {
  startSec: number;
  reads: number;
  p50Ms: number;
  p99Ms: number;
}

export interface SweepRun {
  reads: number;
  errors: number;
  firstError?: string;
  seconds: number;
  buckets: SweepBucket[];
  latencyMs: { p50: number; p99: number; max: number };
}

const DAY_MS = 86_400_000;
/** Reads in flight: as the deployed-profile row and the adapter's fleet-read benchmark run 4.8.1. */
const PROFILE_IN_FLIGHT = 200;

async function main(): Promise<void> {
  const settings = JSON.parse(process.env.SWEEP_LOAD ?? '') as SweepSettings;
  const client = new HubClient(settings.address, {
    ca: readFileSync(settings.tls.ca, 'utf8'),
    certificate: readFileSync(settings.tls.certificate, 'utf8'),
    privateKey: readFileSync(settings.tls.key, 'utf8'),
  });
  const { responses, subscription } = correlatedResponses(client, '');
  const call = client.grpc.submitStream();
  call.on('data', (reply: SubmitStreamResponse) => {
    const ack = reply.acknowledgement;
    if (ack && ack.responseCode !== 'I99') {
      responses.reject(ack.requestId, new Error(`${ack.responseCode}: ${ack.detail}`));
    }
  });
  call.on('error', (error: Error) => responses.rejectAll(error));

  const midnight = Date.now() - (Date.now() % DAY_MS);
  let counter = Date.now() * 1_000;
  let next = 0;
  let errors = 0;
  let firstError: string | undefined;
  const all = new LatencyRecorder();
  const buckets: { reads: number; latencies: LatencyRecorder }[] = [];
  const t0 = performance.now();

  const readOne = async (): Promise<void> => {
    while (next < settings.meters) {
      const meter = meterId(next++);
      const request = ServiceRequest.fromJSON({
        requestId: `${USERS.supplier}:${meter}:${counter++}`,
        commandVariant: 1,
        serviceReferenceVariant: '4.8.1',
        userRole: 'USER_ROLE_IMPORT_SUPPLIER',
        readActiveImportProfileData: {
          period: { startMs: String(midnight - DAY_MS), endMs: String(midnight) },
        },
      });
      const started = performance.now();
      const answered = responses.wait(request.requestId);
      call.write({ request });
      try {
        await answered;
      } catch (error) {
        errors++;
        firstError ??= (error as Error).message;
        continue;
      }
      const now = performance.now();
      const index = Math.floor((now - t0) / settings.bucketMs);
      while (buckets.length <= index) buckets.push({ reads: 0, latencies: new LatencyRecorder() });
      buckets[index]!.reads++;
      buckets[index]!.latencies.add(now - started);
      all.add(now - started);
    }
  };
  await Promise.all(Array.from({ length: PROFILE_IN_FLIGHT }, readOne));
  const seconds = (performance.now() - t0) / 1000;
  call.end();
  subscription.cancel();
  client.close();
  const [p50, p99, max] = all.percentiles(50, 99, 100);
  const run: SweepRun = {
    reads: settings.meters - errors,
    errors,
    firstError,
    seconds,
    buckets: buckets.map((b, i) => {
      const [bp50, bp99] = b.latencies.percentiles(50, 99);
      return { startSec: (i * settings.bucketMs) / 1000, reads: b.reads, p50Ms: bp50!, p99Ms: bp99! };
    }),
    latencyMs: { p50: p50!, p99: p99!, max: max! },
  };
  console.log(JSON.stringify(run));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
