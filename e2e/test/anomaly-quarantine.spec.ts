// Telemetry first: providers must be installed before the services' modules load.
import './telemetry-setup.js';
import { accessControl } from '@dcc/access-control';
import { DccError, GrpcStatus } from '@dcc/domain';
import {
  QuarantineServiceClient,
  QuarantineState,
  UserRole,
  type Acknowledgement,
  type ListQuarantinedResponse,
  type ServiceRequest,
  type ServiceResponse,
} from '@dcc/proto';
import { fromServiceError, startService } from '@dcc/service-kit';
import { waitFor } from '@dcc/testkit';
import { credentials, type ServiceError } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubClient, readImportRegisters, startLocalHub, type LocalHub } from '../src/index.js';

const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
const NETWORK_OPERATOR = '90-B3-D5-1F-30-02-00-00';
const meter = (i: number) => `00-DB-12-00-00-00-00-${i.toString(16).padStart(2, '0').toUpperCase()}`;

// Low thresholds for the test; an hour's window so timing cannot slide a count out mid-test.
const THRESHOLDS = {
  windowSeconds: 3_600,
  perUser: { '*': 1_000_000, '4.1.1': 3 },
  systemWide: { '11.2': 2 },
};

/** The quarantine API as a User sees it. */
class QuarantineClient {
  readonly grpc: QuarantineServiceClient;
  constructor(address: string) {
    this.grpc = new QuarantineServiceClient(address, credentials.createInsecure());
  }
  list(userId: string): Promise<ListQuarantinedResponse> {
    return new Promise((resolve, reject) =>
      this.grpc.listQuarantined({ userId }, (error: ServiceError | null, reply) =>
        error ? reject(fromServiceError(error)) : resolve(reply!),
      ),
    );
  }
  release(requestId: string): Promise<Acknowledgement> {
    return new Promise((resolve, reject) =>
      this.grpc.release({ requestId }, (error: ServiceError | null, reply) =>
        error ? reject(fromServiceError(error)) : resolve(reply!.acknowledgement!),
      ),
    );
  }
  delete(requestId: string): Promise<void> {
    return new Promise((resolve, reject) =>
      this.grpc.delete({ requestId }, (error: ServiceError | null) =>
        error ? reject(fromServiceError(error)) : resolve(),
      ),
    );
  }
  close(): void {
    this.grpc.close();
  }
}

let hub: LocalHub;
let address: string;
let client: HubClient;
let quarantine: QuarantineClient;
/** Every response and notice per RequestID, in arrival order (a quarantined request gets a notice first). */
const received = new Map<string, ServiceResponse[]>();
const onResponse = (r: ServiceResponse) =>
  received.set(r.requestId, [...(received.get(r.requestId) ?? []), r]);
const subscriptions: { cancel(): void }[] = [];
const i0s = (requestId: string) =>
  (received.get(requestId) ?? []).filter((r) => r.responseCode === 'I0').length;
const isQuarantineNotice = (r: ServiceResponse) =>
  r.responseCode === '' &&
  r.statusCode === GrpcStatus.RESOURCE_EXHAUSTED &&
  r.detail.startsWith('quarantined:');

function connect(): void {
  client = new HubClient(address);
  quarantine = new QuarantineClient(address);
  subscriptions.push(client.responses(SUPPLIER, onResponse), client.responses(NETWORK_OPERATOR, onResponse));
}

function disconnect(): void {
  for (const s of subscriptions.splice(0)) s.cancel();
  client.close();
  quarantine.close();
}

const firmwareRead = (userId: string, role: UserRole, deviceId: string, counter: number): ServiceRequest => ({
  requestId: `${userId}:${deviceId}:${counter}`,
  commandVariant: 1,
  serviceReferenceVariant: '11.2',
  userRole: role,
  body: { $case: 'readFirmwareVersion', value: {} },
});

/** Settles: long enough for a dispatched command to have been executed and answered. */
const settle = () => new Promise((r) => setTimeout(r, 500));

beforeAll(async () => {
  hub = await startLocalHub({ meters: 100, env: { ANOMALY_THRESHOLDS: JSON.stringify(THRESHOLDS) } });
  address = hub.address;
  connect();
});

afterAll(async () => {
  disconnect();
  await hub.stop();
});

describe('anomaly detection and quarantine', () => {
  const burst = Array.from({ length: 5 }, (_, i) => readImportRegisters(SUPPLIER, meter(1), 1_000 + i));

  it('a burst over the per-User threshold: the excess is quarantined, acknowledged and notified, not executed', async () => {
    // One after another: which of several concurrent requests crosses the threshold depends on when each one's
    // registration lookup returns, so the test sends the burst in order to know which two are quarantined.
    const acks = [];
    for (const request of burst) acks.push(await client.submit(request));
    expect(acks.map((a) => a.responseCode)).toEqual(['I99', 'I99', 'I99', 'I99', 'I99']);
    expect(acks.slice(0, 3).every((a) => a.detail === '')).toBe(true);
    for (const ack of acks.slice(3)) {
      expect(ack.detail).toMatch(
        /^quarantined: per-User threshold for SRV 4\.1\.1 exceeded: more than 3 in 3600 s/,
      );
    }
    await waitFor(
      'three I0 and two quarantine notices',
      () =>
        burst.slice(0, 3).every((r) => i0s(r.requestId) === 1) &&
        burst.slice(3).every((r) => received.get(r.requestId)?.some(isQuarantineNotice)),
    );
    await settle();
    expect(burst.slice(3).map((r) => i0s(r.requestId))).toEqual([0, 0]);

    const listed = await quarantine.list(SUPPLIER);
    expect(listed.truncated).toBe(false);
    expect(listed.requests.map((q) => q.request!.requestId)).toEqual(burst.slice(3).map((r) => r.requestId));
    expect(listed.requests[0]).toMatchObject({
      userId: SUPPLIER,
      state: QuarantineState.QUARANTINE_STATE_HELD,
    });
    expect(listed.requests[0]!.reason).toContain('per-User threshold for SRV 4.1.1');
    // Refused requests never count: an unknown device is E19, not quarantine.
    await expect(
      client.submit(readImportRegisters(SUPPLIER, '00-DB-12-00-00-00-FF-FF', 1_100)),
    ).rejects.toMatchObject({
      responseCode: 'E19',
    });
  });

  it('Release executes the request exactly once; a second Release fails with NOT_FOUND', async () => {
    const held = burst[3]!;
    const ack = await quarantine.release(held.requestId);
    expect(ack).toMatchObject({ requestId: held.requestId, responseCode: 'I99', statusCode: 0 });
    await waitFor('the released request’s I0', () => i0s(held.requestId) === 1);

    const again = await quarantine.release(held.requestId).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(DccError);
    expect((again as DccError).status).toBe(GrpcStatus.NOT_FOUND);
    await settle();
    expect(i0s(held.requestId)).toBe(1);
    expect((await quarantine.list(SUPPLIER)).requests.map((q) => q.request!.requestId)).toEqual([
      burst[4]!.requestId,
    ]);
  });

  it('concurrent Releases of one request: one wins, the request runs once', async () => {
    const request = readImportRegisters(SUPPLIER, meter(2), 2_000);
    const ack = await client.submit(request);
    expect(ack.detail).toMatch(/^quarantined:/);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 5 }, () => quarantine.release(request.requestId)),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes.filter((o) => o.status === 'rejected')) {
      expect([GrpcStatus.NOT_FOUND, GrpcStatus.FAILED_PRECONDITION]).toContain(
        ((o as PromiseRejectedResult).reason as DccError).status,
      );
    }
    await waitFor('its I0', () => i0s(request.requestId) === 1);
    await settle();
    expect(i0s(request.requestId)).toBe(1);
  });

  it('Delete removes it without executing it, and notifies the User', async () => {
    const held = burst[4]!;
    await quarantine.delete(held.requestId);
    await waitFor('the deletion notice', () =>
      received.get(held.requestId)?.find((r) => r.statusCode === GrpcStatus.ABORTED),
    );
    const notice = received.get(held.requestId)!.find((r) => r.statusCode === GrpcStatus.ABORTED)!;
    expect(notice.responseCode).toBe('');
    expect(notice.detail).toMatch(/deleted from quarantine/);
    const again = await quarantine.delete(held.requestId).catch((e: unknown) => e);
    expect((again as DccError).status).toBe(GrpcStatus.NOT_FOUND);
    await expect(quarantine.release(held.requestId)).rejects.toMatchObject({ status: GrpcStatus.NOT_FOUND });
    await settle();
    expect(i0s(held.requestId)).toBe(0);
    expect((await quarantine.list(SUPPLIER)).requests).toEqual([]);
  });

  it('the system-wide threshold counts every User together', async () => {
    const first = firmwareRead(SUPPLIER, UserRole.USER_ROLE_IMPORT_SUPPLIER, meter(3), 3_000);
    const second = firmwareRead(
      NETWORK_OPERATOR,
      UserRole.USER_ROLE_ELECTRICITY_DISTRIBUTOR,
      meter(3),
      3_001,
    );
    const third = firmwareRead(NETWORK_OPERATOR, UserRole.USER_ROLE_ELECTRICITY_DISTRIBUTOR, meter(4), 3_002);
    expect((await client.submit(first)).detail).toBe('');
    expect((await client.submit(second)).detail).toBe('');
    const held = await client.submit(third);
    expect(held.responseCode).toBe('I99');
    expect(held.detail).toMatch(
      /^quarantined: system-wide threshold for SRV 11\.2 exceeded: more than 2 in 3600 s/,
    );
    await waitFor('the network operator’s quarantine notice', () =>
      received.get(third.requestId)?.some(isQuarantineNotice),
    );
    expect((await quarantine.list(NETWORK_OPERATOR)).requests.map((q) => q.request!.requestId)).toEqual([
      third.requestId,
    ]);
    expect((await quarantine.list(SUPPLIER)).requests).toEqual([]);
  });

  it('quarantine survives an access-control restart: still listed, and releasable', async () => {
    const request = readImportRegisters(SUPPLIER, meter(5), 5_000);
    expect((await client.submit(request)).detail).toMatch(/^quarantined:/);
    disconnect();
    await hub.accessControl.stop();
    hub.accessControl = await startService(accessControl, hub.env);
    address = `127.0.0.1:${hub.accessControl.grpcPort}`;
    connect();

    const listed = await quarantine.list(SUPPLIER);
    expect(listed.requests.map((q) => q.request!.requestId)).toEqual([request.requestId]);
    await quarantine.release(request.requestId);
    await waitFor('the I0 after the restart', () => i0s(request.requestId) === 1);
    await settle();
    expect(i0s(request.requestId)).toBe(1);
    // Quarantine of the other User is untouched.
    expect((await quarantine.list(NETWORK_OPERATOR)).requests).toHaveLength(1);
  });
});
