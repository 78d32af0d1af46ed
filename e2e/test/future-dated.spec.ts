import { DAY_MS, DccError, FUTURE_DATED_TRT_MS, GrpcStatus } from '@dcc/domain';
import {
  FutureDatedServiceClient,
  UserRole,
  type CancelResponse,
  type ServiceRequest,
  type ServiceResponse,
} from '@dcc/proto';
import { createSchedulingService, type FutureDatedHolder } from '@dcc/scheduling';
import { startService, type RunningService } from '@dcc/service-kit';
import { waitFor } from '@dcc/testkit';
import { credentials, type ServiceError } from '@grpc/grpc-js';
import { Kvm, type KV } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estateLines, HubClient, startLocalHub, type LocalHub } from '../src/index.js';
import {
  loadFeed,
  registrationClient,
  registrationTls,
  type RegistrationTls,
} from './registration-helpers.js';

// DSP future-dated requests through the DCC User Interface: checked in full at submission, held by the scheduling
// service (here in this process on a settable clock), released at its execution time through access control's
// checks to the meter, answered once with the execution time as its tag; cancelled only by its originator.

const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
const DNO = '90-B3-D5-1F-30-02-00-00';
const OTHER_USER = '90-B3-D5-1F-30-03-00-00'; // OU: may not send 4.1.1
const NEXT_SUPPLIER = '90-B3-D5-1F-30-09-00-00';
const meter = (n: number) => `00-DB-12-00-00-00-00-${n.toString(16).padStart(2, '0').toUpperCase()}`;
const UNKNOWN = '00-DB-12-00-00-00-0F-FF';
/** The due index's bucket (DUE_BUCKET_MS default): a request is released once its minute has passed. */
const BUCKET_MS = 60_000;
const HOUR = 3_600_000;

let tls: RegistrationTls;
let hub: LocalHub;
let scheduling: RunningService;
let holder: FutureDatedHolder;
let client: HubClient;
let nc: NatsConnection;
let records: KV;
let now = Date.now();
let counter = 1_000;
const received: ServiceResponse[] = [];

beforeAll(async () => {
  // Before the hub asks for it: the test PKI also issues the Users' certificates.
  tls = await registrationTls([SUPPLIER, DNO]);
  hub = await startLocalHub({ meters: 10 });
  scheduling = await startService(
    createSchedulingService({ clock: () => now, onFutureDated: (h) => (holder = h) }),
    {
      NATS_URL: hub.nats.url,
      GRPC_HOST: '127.0.0.1',
      GRPC_PORT: '0',
      LOG_LEVEL: 'error',
      SCHEDULER_TICK_MS: '3600000',
      TLS_CERT_FILE: tls.env.TLS_CERT_FILE!,
      TLS_KEY_FILE: tls.env.TLS_KEY_FILE!,
      TLS_CLIENT_CA_FILE: tls.env.TLS_CLIENT_CA_FILE!,
    },
  );
  client = new HubClient(hub.address);
  client.responses(SUPPLIER, (r) => received.push(r));
  nc = await connect({ servers: hub.nats.url });
  records = await new Kvm(nc).open('future_dated');
});

afterAll(async () => {
  client?.close();
  await nc?.close();
  await scheduling?.stop();
  await hub?.stop();
});

/** A 4.1.1 (DSP future-datable) for `device` at `executionMs`, or `srv` with its parameterless body. */
function futureDated(
  device: string,
  executionMs: number,
  overrides: Partial<ServiceRequest> = {},
): ServiceRequest {
  return {
    requestId: `${SUPPLIER}:${device}:${counter++}`,
    commandVariant: 1,
    serviceReferenceVariant: '4.1.1',
    userRole: UserRole.USER_ROLE_IMPORT_SUPPLIER,
    body: { $case: 'readInstantaneousImportRegisters', value: {} },
    executionDateTimeMs: executionMs,
    ...overrides,
  };
}

/** A whole hour at least `hours` ahead of the real clock (access control judges submissions by it). */
const ahead = (hours: number) => Math.ceil(Date.now() / HOUR) * HOUR + hours * HOUR;

/** Submits, expects I99, and waits until the scheduling service holds it. */
async function hold(request: ServiceRequest): Promise<void> {
  const ack = await client.submit(request);
  expect(ack).toMatchObject({ responseCode: 'I99', detail: expect.stringMatching(/^held until /) });
  const key = request.requestId.replaceAll(':', '.');
  await waitFor('held', async () => (await records.get(key))?.operation === 'PUT');
}

/** Moves the holder's clock to `ms` and releases what is due. */
async function releaseAt(ms: number): Promise<number> {
  now = ms;
  return holder.releaser.tick();
}

const answersTo = (request: ServiceRequest) => received.filter((r) => r.requestId === request.requestId);
const settle = () => new Promise((resolve) => setTimeout(resolve, 500));

function cancel(requestId: string, as: string): Promise<CancelResponse> {
  const grpc = new FutureDatedServiceClient(`localhost:${scheduling.grpcPort}`, tls.credentials(as));
  return new Promise<CancelResponse>((resolve, reject) =>
    grpc.cancel({ requestId }, (error, response) => (error ? reject(error) : resolve(response))),
  ).finally(() => grpc.close());
}

async function cancelRefusal(requestId: string, as: string): Promise<ServiceError> {
  const error = await cancel(requestId, as).then(
    () => undefined,
    (e: ServiceError) => e,
  );
  if (!error) throw new Error('the cancellation was not refused');
  return error;
}

describe('DSP future-dated requests', () => {
  let released: ServiceRequest;

  it('held after I99, released at its time, answered once as a future-dated response', async () => {
    const executionMs = ahead(1);
    released = futureDated(meter(1), executionMs);
    await hold(released);
    expect(await releaseAt(executionMs - BUCKET_MS)).toBe(0); // not yet
    await settle();
    expect(answersTo(released)).toEqual([]);
    expect(await releaseAt(executionMs + BUCKET_MS)).toBe(1);
    const answer = await waitFor('the answer', () => answersTo(released)[0]);
    expect(answer).toMatchObject({
      responseCode: 'I0',
      serviceReferenceVariant: '4.1.1',
      executionDateTimeMs: executionMs,
    });
    expect(answer.body?.$case).toBe('importRegisters');
    expect(await releaseAt(executionMs + 10 * BUCKET_MS)).toBe(0);
    await settle();
    expect(answersTo(released)).toHaveLength(1);
  });

  it('cancelled by its originator before its time: never runs; another User may not cancel it', async () => {
    const executionMs = ahead(2);
    const request = futureDated(meter(2), executionMs);
    await hold(request);
    expect((await cancelRefusal(request.requestId, DNO)).code).toBe(GrpcStatus.PERMISSION_DENIED);
    expect(await cancel(request.requestId, SUPPLIER)).toEqual({
      requestId: request.requestId,
      executionDateTimeMs: executionMs,
    });
    // Idempotent: cancelling again answers the same.
    expect(await cancel(request.requestId, SUPPLIER)).toEqual({
      requestId: request.requestId,
      executionDateTimeMs: executionMs,
    });
    expect(await releaseAt(executionMs + BUCKET_MS)).toBe(0);
    await settle();
    expect(answersTo(request)).toEqual([]);
    expect(holder.releaser.stats.skipped).toBeGreaterThanOrEqual(1);
  });

  it('without mutual TLS a cancellation proves no User: UNAUTHENTICATED', async () => {
    const plaintext = await startService(createSchedulingService(), {
      NATS_URL: hub.nats.url,
      GRPC_HOST: '127.0.0.1',
      GRPC_PORT: '0',
      LOG_LEVEL: 'error',
      SCHEDULER_TICK_MS: '3600000',
    });
    const grpc = new FutureDatedServiceClient(
      `127.0.0.1:${plaintext.grpcPort}`,
      credentials.createInsecure(),
    );
    const error = await new Promise<ServiceError | null>((resolve) =>
      grpc.cancel({ requestId: released.requestId }, (e) => resolve(e)),
    );
    grpc.close();
    await plaintext.stop();
    expect(error?.code).toBe(GrpcStatus.UNAUTHENTICATED);
  });

  it('a cancellation after release, or of a request the hub does not hold, is refused', async () => {
    expect((await cancelRefusal(released.requestId, SUPPLIER)).code).toBe(GrpcStatus.FAILED_PRECONDITION);
    const never = `${SUPPLIER}:${meter(3)}:${counter++}`;
    expect((await cancelRefusal(never, SUPPLIER)).code).toBe(GrpcStatus.NOT_FOUND);
    expect((await cancelRefusal('not-a-request-id', SUPPLIER)).code).toBe(GrpcStatus.INVALID_ARGUMENT);
  });

  it('refused before I99: past or present time, too far ahead, an SRV the DCC does not hold, another variant', async () => {
    const refusal = (request: ServiceRequest): Promise<DccError> => client.refusal(request);
    const expectInvalid = async (request: ServiceRequest, message: RegExp) => {
      const error = await refusal(request);
      expect(error.status).toBe(GrpcStatus.INVALID_ARGUMENT);
      expect(error.message).toMatch(message);
    };
    await expectInvalid(futureDated(meter(4), Date.now() - HOUR), /not in the future/);
    await expectInvalid(futureDated(meter(4), Date.now() + 32 * DAY_MS), /more than 31 days ahead/);
    await expectInvalid(
      futureDated(meter(4), ahead(1), {
        serviceReferenceVariant: '7.4',
        body: { $case: 'readSupplyStatus', value: {} },
      }),
      /SRV 7\.4 is not DSP future-datable/,
    );
    await expectInvalid(futureDated(meter(4), ahead(1), { commandVariant: 3 }), /command variant 1 only/);
  });

  it('authorised in full at submission: role, device and registration refusals carry their DUIS codes', async () => {
    const asOther = futureDated(meter(4), ahead(1), {
      requestId: `${OTHER_USER}:${meter(4)}:${counter++}`,
      userRole: UserRole.USER_ROLE_OTHER_USER,
    });
    expect((await client.refusal(asOther)).responseCode).toBe('E2');
    expect((await client.refusal(futureDated(UNKNOWN, ahead(1)))).responseCode).toBe('E19');
    const bad = futureDated(meter(4), ahead(1), { body: { $case: 'readSupplyStatus', value: {} } });
    expect((await client.refusal(bad)).status).toBe(GrpcStatus.INVALID_ARGUMENT);
  });

  it('access is checked again at release: the supplier lost the meter before its time, so E4, not data', async () => {
    const executionMs = ahead(4);
    const request = futureDated(meter(6), executionMs);
    await hold(request);
    // The meter point changes supplier an hour before the request's time (a feed loaded after I99).
    const row = JSON.parse(estateLines(10).find((line) => line.includes(meter(6)))!) as Record<
      string,
      unknown
    >;
    const from = new Date(executionMs - HOUR).toISOString().replace('.000', '');
    const regClient = await registrationClient(hub.registration!.grpcPort);
    const outcome = await loadFeed(regClient, [
      '# change of supplier',
      JSON.stringify({ ...row, supplier: { party: NEXT_SUPPLIER, from } }),
    ]);
    regClient.close();
    expect(outcome.report).toMatchObject({ applied: 1, rejected: 0 });
    expect(await releaseAt(executionMs + BUCKET_MS)).toBe(1);
    const answer = await waitFor('the refusal', () => answersTo(request)[0]);
    expect(answer).toMatchObject({ responseCode: 'E4', executionDateTimeMs: executionMs });
    expect(answer.body).toBeUndefined();
  });

  it('released after its Target Response Time (the holder was behind): E30 on Responses, never sent', async () => {
    const executionMs = ahead(3);
    const request = futureDated(meter(5), executionMs);
    await hold(request);
    expect(await releaseAt(executionMs + FUTURE_DATED_TRT_MS + BUCKET_MS)).toBe(1);
    const answer = await waitFor('E30', () => answersTo(request)[0]);
    expect(answer).toMatchObject({
      responseCode: 'E30',
      statusCode: GrpcStatus.DEADLINE_EXCEEDED,
      executionDateTimeMs: executionMs,
    });
    expect(answer.body).toBeUndefined();
    await settle();
    expect(answersTo(request)).toHaveLength(1);
  });
});
