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
  /** Ends the load early (before `durationMs`): no further request is sent once it is aborted. */
  signal?: AbortSignal;
}

const DEADLINE_MS = 5_000;
const MAX_IN_FLIGHT = 500;

/**
 * Submits 4.1.1 reads at a steady rate with unary Submit calls, each with a deadline (a stopped access control
 * must not stall the load), and records each outcome: I99 acknowledged, or the refusal. With several
 * access-control addresses the requests go to each in turn, and a request one of them answers UNAVAILABLE (it
 * is stopping, or not listening) is sent, unchanged, to the next: a client balancing over the instances.
 */
export async function driveLoad(
  address: string | readonly string[],
  tally: Tally,
  options: LoadOptions,
): Promise<void> {
  const clients = (typeof address === 'string' ? [address] : address).map(
    (a) => new ServiceRequestsServiceClient(a, credentials.createInsecure()),
  );
  const total = Math.round((options.rate * options.durationMs) / 1000);
  const started = Date.now();
  const inFlight = new Set<Promise<void>>();
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / options.rate;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (options.signal?.aborted) break;
    while (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
    const device = options.devices[i % options.devices.length]!;
    const request = readImportRegisters(options.userId, device, options.firstCounter + BigInt(i));
    const done = submitToAny(clients, i, request).then(
      (code) => (code === 'I99' ? tally.acknowledge(request.requestId) : tally.refuse(code)),
      (error: unknown) => tally.refuse(reasonOf(error)),
    );
    inFlight.add(done);
    void done.finally(() => inFlight.delete(done));
  }
  await Promise.all(inFlight);
  for (const client of clients) client.close();
}

const UNAVAILABLE = 14;

/** Submits to client `first` (modulo), then to the next ones while the answer is UNAVAILABLE. */
async function submitToAny(
  clients: ServiceRequestsServiceClient[],
  first: number,
  request: ServiceRequest,
): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await submit(clients[(first + attempt) % clients.length]!, request);
    } catch (error) {
      const last = attempt === clients.length - 1;
      if (last || (error as { status?: number }).status !== UNAVAILABLE) throw error;
    }
  }
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
  const e = error as { status?: number; responseCode?: string; message?: string };
  // An INTERNAL is never an expected refusal: its message says which failure it was.
  const detail = e.status === 13 ? `: ${e.message?.slice(0, 120)}` : '';
  return e.responseCode || `grpc-${e.status ?? '?'}${detail}`;
}
