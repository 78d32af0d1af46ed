import { fromServiceError } from '@dcc/service-kit';
import { ServiceRequestsServiceClient, type ServiceRequest } from '@dcc/proto';
import { credentials, Metadata, type ServiceError } from '@grpc/grpc-js';
import { readImportRegisters } from '../src/index.js';
import type { Tally } from './tally.js';

export interface LoadOptions {
  userId: string;
  devices: readonly string[];
  /** Requests per second, spread evenly. */
  rate: number;
  durationMs: number;
  /** Where this run's RequestID counters start: above every counter used before (the hub refuses replays). */
  firstCounter: bigint;
}

const DEADLINE_MS = 5_000;
const MAX_IN_FLIGHT = 500;

/**
 * Submits 4.1.1 reads at a steady rate with unary Submit calls, each with a deadline (a stopped access control
 * must not stall the load), and records each outcome: I99 acknowledged, or the refusal.
 */
export async function driveLoad(address: string, tally: Tally, options: LoadOptions): Promise<void> {
  const client = new ServiceRequestsServiceClient(address, credentials.createInsecure());
  const total = Math.round((options.rate * options.durationMs) / 1000);
  const started = Date.now();
  const inFlight = new Set<Promise<void>>();
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / options.rate;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    while (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
    const device = options.devices[i % options.devices.length]!;
    const request = readImportRegisters(options.userId, device, options.firstCounter + BigInt(i));
    const done = submit(client, request).then(
      (code) => (code === 'I99' ? tally.acknowledge(request.requestId) : tally.refuse(code)),
      (error: unknown) => tally.refuse(reasonOf(error)),
    );
    inFlight.add(done);
    void done.finally(() => inFlight.delete(done));
  }
  await Promise.all(inFlight);
  client.close();
}

function submit(client: ServiceRequestsServiceClient, request: ServiceRequest): Promise<string> {
  return new Promise((resolve, reject) =>
    client.submit(
      { request },
      new Metadata(),
      { deadline: Date.now() + DEADLINE_MS },
      (error: ServiceError | null, reply) =>
        error ? reject(fromServiceError(error)) : resolve(reply.acknowledgement?.responseCode ?? ''),
    ),
  );
}

function reasonOf(error: unknown): string {
  const e = error as { status?: number; responseCode?: string };
  return e.responseCode || `grpc-${e.status ?? '?'}`;
}
