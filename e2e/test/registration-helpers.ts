import { streams } from '@dcc/bus';
import { mpanCheckDigit, mprnCheckDigits } from '@dcc/domain';
import {
  RegistrationBulkServiceClient,
  RegistrationServiceClient,
  type FeedChunkProgress,
  type LoadFeedChunksResponse,
  type FeedLineResult,
  type FeedReport,
  type LoadFeedResponse,
  type GetHistoryResponse,
} from '@dcc/proto';
import type { NatsServer } from '@dcc/testkit';
import { createRegistrationService } from '@dcc/registration';
import { startService, type RunningService } from '@dcc/service-kit';
import type { ServiceError } from '@grpc/grpc-js';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

export const mpan = (first12: string): string => first12 + String(mpanCheckDigit(first12));
export const mprn = (digits: string): string => digits + mprnCheckDigits(digits);

export const SUPPLIER_A = '90-B3-D5-1F-30-01-00-00';
export const SUPPLIER_B = '90-B3-D5-1F-30-09-00-00';
export const DNO = '90-B3-D5-1F-30-02-00-00';

export { DATA_PROVIDER, OPERATOR, registrationTls, type RegistrationTls } from '../src/registration-tls.js';
import { OPERATOR, registrationTls } from '../src/registration-tls.js';

/** A registration API client over mutual TLS, as the operator unless told otherwise. */
export async function registrationClient(port: number, as = OPERATOR): Promise<RegistrationServiceClient> {
  const tls = await registrationTls();
  return new RegistrationServiceClient(`localhost:${port}`, tls.credentials(as));
}

/** A unary call as a promise. */
export function call<Req, Res>(
  client: RegistrationServiceClient,
  method: string,
  request: Req,
): Promise<Res> {
  return new Promise((resolve, reject) => {
    const fn = (
      client as unknown as Record<string, (r: Req, cb: (e: ServiceError | null, r: Res) => void) => void>
    )[method]!;
    fn.call(client, request, (error, response) => (error ? reject(error) : resolve(response)));
  });
}

export interface FeedOutcome {
  lines: FeedLineResult[];
  report: FeedReport | undefined;
  error: ServiceError | undefined;
}

/** Streams a feed and collects every line result and the report; `onLine` may stop things midway. */
export function loadFeed(
  client: RegistrationServiceClient,
  lines: string[],
  options: { feedId?: string; relaxCheckDigits?: boolean; onLine?: (result: FeedLineResult) => void } = {},
): Promise<FeedOutcome> {
  const outcome: FeedOutcome = { lines: [], report: undefined, error: undefined };
  const stream = client.loadFeed();
  return new Promise((resolve) => {
    stream.on('data', (response: LoadFeedResponse) => {
      if (response.result?.$case === 'line') {
        outcome.lines.push(response.result.value);
        options.onLine?.(response.result.value);
      } else if (response.result?.$case === 'report') outcome.report = response.result.value;
    });
    stream.on('error', (error: ServiceError) => {
      outcome.error = error;
      resolve(outcome);
    });
    stream.on('end', () => resolve(outcome));
    lines.forEach((line, i) =>
      stream.write({
        options:
          i === 0
            ? { feedId: options.feedId ?? 'test', relaxCheckDigits: options.relaxCheckDigits ?? false }
            : undefined,
        line,
      }),
    );
    stream.end();
  });
}

/** A deterministic estate feed of `size` rows (every fifth point gas, every seventh withdrawn). */
export function estateFeed(size: number): string[] {
  const lines: string[] = ['# full refresh, test estate'];
  for (let i = 0; i < size; i++) {
    const gas = i % 5 === 4;
    const device = `00-DB-12-00-00-01-${hex(i >> 8)}-${hex(i & 255)}`;
    lines.push(
      JSON.stringify({
        mpxn: gas ? mprn(String(40_000_000 + i)) : mpan(String(100_000_000_000 + i)),
        fuel: gas ? 'gas' : 'electricity',
        meterKind: 'SMETS2',
        cspRegion: ['North', 'Central', 'South'][i % 3],
        uprn: String(200_000 + i),
        status: i % 7 === 6 ? 'withdrawn' : 'enrolled',
        device: { id: device, status: 'Commissioned', model: 'M1', firmwareVersion: '1.0' },
        supplier: { party: i % 2 ? SUPPLIER_A : SUPPLIER_B, from: '2023-01-01' },
        networkOperator: { party: DNO, from: '2020-01-01' },
      }),
    );
  }
  return lines;
}

/** The MPxNs of a feed's rows, in order (comment lines left out). */
export const feedMpxns = (lines: readonly string[]): string[] =>
  lines.filter((l) => !l.startsWith('#')).map((l) => (JSON.parse(l) as { mpxn: string }).mpxn);

const hex = (n: number) => n.toString(16).toUpperCase().padStart(2, '0');

export interface ChunkedFeedOutcome {
  progress: FeedChunkProgress[];
  report: FeedReport | undefined;
  error: ServiceError | undefined;
}

/** Streams a feed through LoadFeedChunks, `chunkLines` lines a chunk, and collects the progress and report. */
export async function loadFeedChunks(
  port: number,
  lines: string[],
  options: { chunkLines?: number; as?: string; relaxCheckDigits?: boolean } = {},
): Promise<ChunkedFeedOutcome> {
  const tls = await registrationTls();
  const client = new RegistrationBulkServiceClient(
    `localhost:${port}`,
    tls.credentials(options.as ?? OPERATOR),
  );
  const outcome: ChunkedFeedOutcome = { progress: [], report: undefined, error: undefined };
  const stream = client.loadFeedChunks();
  const chunkLines = options.chunkLines ?? 100;
  await new Promise<void>((resolve) => {
    stream.on('data', (response: LoadFeedChunksResponse) => {
      if (response.result?.$case === 'progress') outcome.progress.push(response.result.value);
      else if (response.result?.$case === 'report') outcome.report = response.result.value;
    });
    stream.on('error', (error: ServiceError) => {
      outcome.error = error;
      resolve();
    });
    stream.on('end', () => resolve());
    for (let from = 0; from < lines.length; from += chunkLines) {
      stream.write({
        options:
          from === 0 ? { feedId: 'test', relaxCheckDigits: options.relaxCheckDigits ?? false } : undefined,
        lines: lines.slice(from, from + chunkLines),
      });
    }
    stream.end();
  });
  client.close();
  return outcome;
}

/** A registration process's environment on `nats`: mutual TLS with the test operator, room for 10,000 points. */
export async function registrationEnv(nats: NatsServer, port: number): Promise<Record<string, string>> {
  return {
    NATS_URL: nats.url,
    GRPC_PORT: String(port),
    LOG_LEVEL: 'warn',
    REGISTRY_CAPACITY: '10000',
    DRAIN_TIMEOUT_MS: '5000',
    ...(await registrationTls()).env,
  };
}

/** Each point's whole history as the instance answers it (to compare two records point by point). */
export function histories(
  client: RegistrationServiceClient,
  mpxns: readonly string[],
): Promise<GetHistoryResponse[]> {
  return Promise.all(mpxns.map((mpxn) => call<unknown, GetHistoryResponse>(client, 'getHistory', { mpxn })));
}

/** The messages the REGISTRATION stream holds on `nats`. */
export async function recordMessages(nats: NatsServer): Promise<number> {
  const nc = await connect({ servers: nats.url });
  const info = await (await jetstreamManager(nc)).streams.info(streams.registration.name);
  await nc.close();
  return info.state.messages;
}

/**
 * A registration service of the test's own on the hub's nats-server (a hub started with `registration: false`),
 * loaded with `feed`; every line must apply.
 */
export async function startRegistrationWithFeed(
  natsUrl: string,
  feed: string[],
  feedId: string,
): Promise<RunningService> {
  const registration = await startService(createRegistrationService(), {
    NATS_URL: natsUrl,
    GRPC_PORT: '0',
    LOG_LEVEL: 'error',
    REGISTRY_CAPACITY: '1000',
    ...(await registrationTls()).env,
  });
  const client = await registrationClient(registration.grpcPort);
  try {
    const outcome = await loadFeed(client, feed, { feedId });
    if (outcome.report?.rejected !== 0) throw new Error(`feed ${feedId}: ${JSON.stringify(outcome.report)}`);
  } finally {
    client.close();
  }
  return registration;
}
