// Oversized input is refused on its own: one message over the per-message limit does not end a SubmitStream
// (every request stored before and after it gets its acknowledgement), and a huge value echoed into an error
// message cannot hang the caller's connection (the status message travels in a trailer; it is bounded).
import { GrpcStatus, MAX_MESSAGE_CHARS } from '@dcc/domain';
import type { RunningService } from '@dcc/service-kit';
import { healthCheck } from '@dcc/testkit';
import type { ServiceError } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readImportRegisters, startLocalHub, type LocalHub } from '../src/index.js';
import { rawStreamSubmit } from './raw-grpc.js';
import { registrationClient } from './registration-helpers.js';

const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
const HUGE = 'A'.repeat(1024 * 1024);

let hub: LocalHub;
let registration: RunningService;

beforeAll(async () => {
  hub = await startLocalHub({ meters: 400 });
  // The hub's own registration (mutual TLS, the operator's certificate: registration-helpers.ts).
  registration = hub.registration!;
});

afterAll(async () => {
  await hub.stop();
});

/** Fails instead of hanging: the defect made these calls wait for ever. */
function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms)),
  ]);
}

describe('SubmitStream with a message over the limit', () => {
  it('refuses that message alone (RESOURCE_EXHAUSTED) and acknowledges every request around it', async () => {
    const device = (i: number) => `00-DB-12-00-00-00-01-${i.toString(16).toUpperCase().padStart(2, '0')}`;
    const before = Array.from({ length: 50 }, (_, i) => ({
      request: readImportRegisters(SUPPLIER, device(i), 1),
    }));
    const after = Array.from({ length: 10 }, (_, i) => ({
      request: readImportRegisters(SUPPLIER, device(100 + i), 1),
    }));
    const oversized = new Uint8Array(5 * 1024 * 1024).fill(0x41);
    const replies = await within(
      30_000,
      'SubmitStream',
      rawStreamSubmit(hub.address, [...before, oversized, ...after]),
    );

    expect(replies).toHaveLength(61);
    const acks = replies.map((r) => r.acknowledgement!);
    expect(acks.slice(0, 50).map((a) => a.responseCode)).toEqual(Array(50).fill('I99'));
    expect(acks[50]!.statusCode).toBe(GrpcStatus.RESOURCE_EXHAUSTED);
    expect(acks[50]!.detail).toMatch(/over the 4194304-byte limit/);
    expect(acks.slice(51).map((a) => a.responseCode)).toEqual(Array(10).fill('I99'));
  });
});

describe('a 1 MB identifier echoed into an error', () => {
  it('health Check of an unknown service answers NOT_FOUND with a bounded message', async () => {
    const error = await within(
      5_000,
      'health Check',
      healthCheck(hub.address, HUGE).then(
        () => undefined,
        (e: ServiceError) => e,
      ),
    );
    expect(error?.code).toBe(GrpcStatus.NOT_FOUND);
    expect(error!.details.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    expect(error!.details).toMatch(/Health status unknown for service A+… \(\d+ characters\)/);
  });

  it('a registration RPC about an unknown switch answers NOT_FOUND with a bounded message', async () => {
    const client = await registrationClient(registration.grpcPort);
    const error = await within(
      5_000,
      'GetSwitch',
      new Promise<ServiceError | null>((resolve) => client.getSwitch({ switchId: HUGE }, (e) => resolve(e))),
    );
    client.close();
    expect(error?.code).toBe(GrpcStatus.NOT_FOUND);
    expect(error!.details.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    expect(error!.details).toMatch(/^switch A+… \(\d+ characters\)/);
  });
});
