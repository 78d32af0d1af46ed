// The hub's own reports over a real nats-server and real gRPC: traffic through access control and the SMETS2
// adapter (on-demand reads answered at once, one answered late by a slow CSP region, refusals), then the
// reporting service's MonthlyPerformance, ServiceAccounting and CSV export, for operators only, counted once
// across two instances, a restart and the redelivery of both whole streams.
import './telemetry-setup.js';
import { accessControl } from '@dcc/access-control';
import { consumers, streams } from '@dcc/bus';
import { calendarMonthOf, eui64FromBigInt, GrpcStatus, ON_DEMAND_TRT_MS } from '@dcc/domain';
import {
  PerformanceMeasure,
  ReportingServiceClient,
  ReportKind,
  type ExportCsvResponse,
  type MonthlyPerformanceResponse,
  type ServiceAccountingResponse,
  type ServiceRequest,
  type ServiceResponse,
} from '@dcc/proto';
import { ESTATE_ID_BASES } from '@dcc/registry';
import { reporting } from '@dcc/reporting';
import { fromServiceError, startService, type RunningService } from '@dcc/service-kit';
import { waitFor } from '@dcc/testkit';
import type { ServiceError } from '@grpc/grpc-js';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ESTATE_PARTIES,
  HubClient,
  readImportRegisters,
  startLocalHub,
  type LocalHub,
} from '../src/index.js';
import { OPERATOR, registrationTls, type RegistrationTls } from '../src/registration-tls.js';

const SUPPLIER = ESTATE_PARTIES.supplier;
const MONTH = calendarMonthOf(Date.now());
/** Meter n of the uniform estate is in CSP region North, Central or South by n % 3; South answers late. */
const meter = (n: number) => eui64FromBigInt(ESTATE_ID_BASES.esme + BigInt(n));
const SOUTH_LATENCY_MS = ON_DEMAND_TRT_MS + 1_500;
const FAST = 8;

let hub: LocalHub;
let tls: RegistrationTls;
let client: HubClient;
const instances: RunningService[] = [];
let counter = BigInt(Date.now());
const answers = new Map<string, ServiceResponse>();

beforeAll(async () => {
  // Made before the hub so the shared test PKI also issues a User's certificate (registration-tls.ts).
  tls = await registrationTls([SUPPLIER]);
  hub = await startLocalHub({
    meters: 30,
    env: {
      CSP_SOUTH_LATENCY_MS: String(SOUTH_LATENCY_MS),
      CSP_ATTEMPT_TIMEOUT_MS: String(SOUTH_LATENCY_MS + 5_000),
      SMETS2_TRT_MS: String(3 * ON_DEMAND_TRT_MS),
    },
  });
  instances.push(await startReporting(), await startReporting());
  client = new HubClient(hub.address);
  client.responses(SUPPLIER, (r) => answers.set(r.requestId, r));
}, 60_000);

afterAll(async () => {
  client?.close();
  for (const instance of instances) await instance.stop();
  await hub?.stop();
});

/** A reporting instance on mutual TLS: the development operator may call it. */
function startReporting(): Promise<RunningService> {
  return startService(reporting, {
    ...hub.env,
    ...tls.env,
    OPERATOR_IDS: OPERATOR,
    OPERATIONS_API_PLAINTEXT: 'false',
  });
}

function reports(as: string, instance = instances[0]!): ReportingServiceClient {
  return new ReportingServiceClient(`127.0.0.1:${instance.grpcPort}`, tls.credentials(as));
}

/** One unary call: its reply, or the DccError the service answered with. */
function ask<T>(fn: (cb: (error: ServiceError | null, reply?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) =>
    fn((error, reply) => (error ? reject(fromServiceError(error)) : resolve(reply!))),
  );
}

const performanceOf = (c: ReportingServiceClient, month: string = MONTH) =>
  ask<MonthlyPerformanceResponse>((cb) => c.monthlyPerformance({ month }, cb));
const csvOf = (c: ReportingServiceClient, report: ReportKind, userId = '') =>
  ask<ExportCsvResponse>((cb) => c.exportCsv({ report, month: MONTH, userId }, cb)).then((r) => r.csv);

async function accepted(device: string): Promise<ServiceRequest> {
  const request = readImportRegisters(SUPPLIER, device, counter++);
  expect((await client.submit(request)).responseCode).toBe('I99');
  return request;
}

const accounting = (c: ReportingServiceClient) =>
  ask<ServiceAccountingResponse>((cb) => c.serviceAccounting({ month: MONTH, userId: SUPPLIER }, cb));

describe('the reporting service', () => {
  it('reports the month of traffic exactly: within-TRT share per measure and SRV, accounting per User and SRV', async () => {
    const late = await accepted(meter(2)); // South: answered after the TRT
    const fast = await Promise.all(Array.from({ length: FAST }, (_, k) => accepted(meter(3 * k))));
    // Refused: a device the inventory does not hold, and a replayed RequestID.
    const unknown = await client.refusal(readImportRegisters(SUPPLIER, meter(5_000), counter++));
    const replay = await client.refusal(fast[0]!);
    expect(replay.status).toBe(GrpcStatus.ALREADY_EXISTS);
    await waitFor('every answer', () => [late, ...fast].every((r) => answers.has(r.requestId)), 60_000);

    const operator = reports(OPERATOR);
    const expected = {
      userId: SUPPLIER,
      serviceReferenceVariant: '4.1.1',
      accepted: FAST + 1,
      refused: 2,
      refusals: [
        { responseCode: unknown.responseCode!, count: 1 },
        { responseCode: `grpc-${GrpcStatus.ALREADY_EXISTS}`, count: 1 },
      ].sort((a, b) => (a.responseCode < b.responseCode ? -1 : 1)),
      responsesDelivered: FAST + 1,
    };
    // Both tallies (RESPONSES and ACCOUNTING, read independently) caught up.
    await waitFor(
      'the tallies to catch up',
      async () => JSON.stringify((await accounting(operator)).rows) === JSON.stringify([expected]),
      15_000,
    );
    expect((await accounting(operator)).rows).toEqual([expected]);

    const share = { responses: FAST + 1, withinTrt: FAST, shareWithinTrt: FAST / (FAST + 1) };
    const performance = await performanceOf(operator);
    expect(performance).toEqual({
      month: MONTH,
      measures: [
        {
          measure: PerformanceMeasure.PERFORMANCE_MEASURE_ON_DEMAND,
          total: share,
          srvs: [{ serviceReferenceVariant: '4.1.1', share }],
        },
      ],
    });

    // The CSV forms say the same.
    const csv = await csvOf(operator, ReportKind.REPORT_KIND_MONTHLY_PERFORMANCE);
    expect(parse(csv, { columns: true })).toEqual(
      ['all', '4.1.1'].map((srv) => ({
        month: MONTH,
        measure: '1',
        srv,
        responses: String(FAST + 1),
        within_trt: String(FAST),
        share_within_trt: String(FAST / (FAST + 1)),
      })),
    );
    const accountingCsv = await csvOf(operator, ReportKind.REPORT_KIND_SERVICE_ACCOUNTING, SUPPLIER);
    expect(parse(accountingCsv, { columns: true })).toEqual([
      {
        month: MONTH,
        user_id: SUPPLIER,
        srv: '4.1.1',
        accepted: String(FAST + 1),
        refused: '2',
        refusals: expected.refusals.map((r) => `${r.responseCode}:${r.count}`).join(';'),
        responses_delivered: String(FAST + 1),
      },
    ]);
    operator.close();
  }, 90_000);

  it('counts nothing twice: a restarted instance, and both streams delivered again from the start', async () => {
    const operator = reports(OPERATOR);
    const before = await accounting(operator);
    const performance = await performanceOf(operator);
    operator.close();
    for (const instance of instances.splice(0)) await instance.stop();
    // The consumers' acknowledgements lost: every message of RESPONSES and ACCOUNTING is delivered again.
    const nc = await connect({ servers: hub.nats.url });
    const jsm = await jetstreamManager(nc);
    await jsm.consumers.delete(streams.responses.name, consumers.reportingResponses);
    await jsm.consumers.delete(streams.accounting.name, consumers.reportingAccounting);
    await nc.close();
    instances.push(await startReporting());
    const again = reports(OPERATOR);
    await waitFor(
      'the redelivered streams to be read',
      async () => {
        const info = await jetstreamManagerInfo();
        return info.every((pending) => pending === 0);
      },
      15_000,
    );
    expect(await accounting(again)).toEqual(before);
    expect(await performanceOf(again)).toEqual(performance);
    again.close();
  }, 30_000);

  it('answers operators only: a User certificate is refused PERMISSION_DENIED, a bad month INVALID_ARGUMENT', async () => {
    const user = reports(SUPPLIER);
    await expect(performanceOf(user)).rejects.toMatchObject({
      status: GrpcStatus.PERMISSION_DENIED,
    });
    await expect(accounting(user)).rejects.toMatchObject({ status: GrpcStatus.PERMISSION_DENIED });
    await expect(csvOf(user, ReportKind.REPORT_KIND_SERVICE_ACCOUNTING)).rejects.toMatchObject({
      status: GrpcStatus.PERMISSION_DENIED,
    });
    user.close();
    const operator = reports(OPERATOR);
    await expect(performanceOf(operator, '2026-13')).rejects.toMatchObject({
      status: GrpcStatus.INVALID_ARGUMENT,
    });
    operator.close();
  });
});

describe('accounting under mutual TLS', () => {
  it('charges a refusal to the User the certificate proved, never to the originator a caller typed', async () => {
    // A second access-control instance on mutual TLS (the test PKI issued the supplier's certificate).
    const gateway = await startService(accessControl, { ...hub.env, ...tls.env });
    const supplier = new HubClient(`localhost:${gateway.grpcPort}`, {
      ca: tls.pki.ca.certificate,
      certificate: tls.pki.users[SUPPLIER]!.certificate,
      privateKey: tls.pki.users[SUPPLIER]!.privateKey,
    });
    const operator = reports(OPERATOR);
    try {
      const before = (await accounting(operator)).rows[0]!;
      // As the supplier, a RequestID whose originator is the network operator: refused, charged to the supplier.
      const typed = readImportRegisters(ESTATE_PARTIES.networkOperator, meter(0), counter++);
      expect((await supplier.refusal(typed)).status).toBe(GrpcStatus.UNAUTHENTICATED);
      const code = `grpc-${GrpcStatus.UNAUTHENTICATED}`;
      await waitFor(
        'the refusal counted',
        async () => (await accounting(operator)).rows[0]!.refused === before.refused + 1,
        15_000,
      );
      const after = (await accounting(operator)).rows[0]!;
      expect(after.refusals.find((r) => r.responseCode === code)?.count).toBe(1);
      expect(after.accepted).toBe(before.accepted);
      const other = await ask<ServiceAccountingResponse>((cb) =>
        operator.serviceAccounting({ month: MONTH, userId: ESTATE_PARTIES.networkOperator }, cb),
      );
      expect(other.rows).toEqual([]);
    } finally {
      operator.close();
      supplier.close();
      await gateway.stop();
    }
  });
});

/** Per reporting consumer: messages not yet acknowledged (pending plus in flight), -1 before any delivery. */
async function jetstreamManagerInfo(): Promise<number[]> {
  const nc = await connect({ servers: hub.nats.url });
  try {
    const jsm = await jetstreamManager(nc);
    const infos = await Promise.all([
      jsm.consumers.info(streams.responses.name, consumers.reportingResponses),
      jsm.consumers.info(streams.accounting.name, consumers.reportingAccounting),
    ]);
    // Delivered again from the start (a new consumer's first deliveries), and all of it acknowledged.
    return infos.map((i) => (i.delivered.consumer_seq === 0 ? -1 : i.num_pending + i.num_ack_pending));
  } finally {
    await nc.close();
  }
}
