// Telemetry first: providers must be installed before the services' modules load.
import './telemetry-setup.js';
import { Requester, subjects } from '@dcc/bus';
import { GrpcStatus } from '@dcc/domain';
import { registration } from '@dcc/registration';
import { reporting } from '@dcc/reporting';
import { scheduling } from '@dcc/scheduling';
import { startService, type RunningService } from '@dcc/service-kit';
import { healthCheck } from '@dcc/testkit';
import {
  credentials,
  makeGenericClientConstructor,
  type ChannelCredentials,
  type ServiceError,
} from '@grpc/grpc-js';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalHub, type LocalHub } from '../src/index.js';
import { OPERATOR, registrationTls } from './registration-helpers.js';

// Bytes no protobuf decoder accepts: a length-delimited field claiming more bytes than follow.
const GARBAGE = new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]);
const identity = (b: Buffer) => b;

let hub: LocalHub;
let registrationService: RunningService;
let schedulingService: RunningService;
let reportingService: RunningService;
let nc: NatsConnection;
let requester: Requester;

beforeAll(async () => {
  // This test starts its own registration, whose record must stay empty.
  hub = await startLocalHub({ registration: false, env: { ADMIN_API_PLAINTEXT: 'true' } });
  registrationService = await startService(registration, {
    ...hub.env,
    REGISTRY_CAPACITY: '1000',
    ...(await registrationTls()).env,
  });
  // The operator APIs of scheduling and reporting on plaintext, so what is sent is checked, not who sends it.
  schedulingService = await startService(scheduling, { ...hub.env, REPORTS_API_PLAINTEXT: 'true' });
  reportingService = await startService(reporting, { ...hub.env, OPERATIONS_API_PLAINTEXT: 'true' });
  nc = await connect({ servers: hub.nats.url });
  requester = new Requester(nc, { timeoutMs: 2_000 });
});

afterAll(async () => {
  requester.close();
  await nc.close();
  await reportingService.stop();
  await schedulingService.stop();
  await registrationService.stop();
  await hub.stop();
});

/** Sends raw bytes as a unary request to `path` and resolves with the error the server answered. */
function rawUnary(
  address: string,
  path: string,
  channel: ChannelCredentials = credentials.createInsecure(),
): Promise<ServiceError | undefined> {
  const Client = makeGenericClientConstructor(
    {
      call: {
        path,
        requestStream: false,
        responseStream: false,
        requestSerialize: identity,
        requestDeserialize: identity,
        responseSerialize: identity,
        responseDeserialize: identity,
      },
    },
    'Raw',
  );
  const client = new Client(address, channel) as unknown as {
    call(b: Buffer, cb: (e: ServiceError | null) => void): void;
    close(): void;
  };
  return new Promise((resolve) =>
    client.call(Buffer.from(GARBAGE), (error) => {
      client.close();
      resolve(error ?? undefined);
    }),
  );
}

function plaintextServices(): Record<string, RunningService> {
  return {
    'access-control': hub.accessControl,
    'smets2-adapter': hub.adapter,
    scheduling: schedulingService,
    reporting: reportingService,
  };
}

describe('undecodable input to every newer API is refused with INVALID_ARGUMENT', () => {
  it.each([
    ['access-control', '/dcc.v1.AlertRoutingService/GetDispatchTable'],
    ['access-control', '/dcc.v1.QuarantineService/ListQuarantined'],
    ['access-control', '/dcc.v1.QuarantineService/Release'],
    ['access-control', '/dcc.v1.UserAdminService/AdmitUser'],
    ['access-control', '/dcc.v1.UserAdminService/SuspendUser'],
    ['registration', '/dcc.v1.RegistrationService/GetHolder'],
    ['registration', '/dcc.v1.RegistrationService/ReadInventory'],
    ['registration', '/dcc.v1.RegistrationService/DecommissionDevice'],
    ['smets2-adapter', '/dcc.v1.GridSimulationService/RaiseGridEvent'],
    ['smets2-adapter', '/dcc.v1.DeviceEdgeService/KeyInUtrn'],
    ['smets2-adapter', '/dcc.v1.Smets2OperationsService/SetRegionInService'],
    ['scheduling', '/dcc.v1.SchedulingReportsService/GetTrtCompliance'],
    ['scheduling', '/dcc.v1.SchedulingReportsService/GetCollectionPlan'],
    ['scheduling', '/dcc.v1.FutureDatedService/Cancel'],
    ['reporting', '/dcc.v1.ReportingService/MonthlyPerformance'],
    ['reporting', '/dcc.v1.ReportingService/ServiceAccounting'],
    ['reporting', '/dcc.v1.ReportingService/ExportCsv'],
  ])('%s %s', async (service, path) => {
    // The registration API answers its operator over mutual TLS only (who calls is checked before what is sent).
    const error =
      service === 'registration'
        ? await rawUnary(
            `localhost:${registrationService.grpcPort}`,
            path,
            (await registrationTls()).credentials(OPERATOR),
          )
        : await rawUnary(`127.0.0.1:${plaintextServices()[service]!.grpcPort}`, path);
    expect(error?.code).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(error?.details).toMatch(/undecodable/);
  });

  it.each([
    subjects.registrationAuthorise,
    subjects.registrationAuthoriseBatch,
    subjects.registrationInventoryRead,
    subjects.registrationInventoryChange,
    subjects.registrationParties,
    subjects.registrationGridMeters,
    subjects.registrationHanLinks,
    subjects.registrationWanMatrix,
    subjects.registrationOptOut,
    subjects.registrationChfOperation,
    subjects.registrationDeviceLog,
    subjects.registrationDeviceLogRestored,
    subjects.schedulingRequest,
  ])('NATS %s', async (subject) => {
    const error = await requester.request(subject, GARBAGE).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: GrpcStatus.INVALID_ARGUMENT });
    expect((error as Error).message).toMatch(/malformed request/);
  });

  it('leaves every service healthy and the registration record untouched', async () => {
    const operator = (await registrationTls()).credentials(OPERATOR);
    expect(await healthCheck(`localhost:${registrationService.grpcPort}`, '', operator)).toBe('SERVING');
    expect(await healthCheck(`127.0.0.1:${hub.accessControl.grpcPort}`)).toBe('SERVING');
    const info = await (await jetstreamManager(nc)).streams.info('REGISTRATION');
    expect(info.state.messages).toBe(0);
  });
});
