import { describe, expect, it } from 'vitest';
import { GrpcStatus } from '../grpc-status.js';
import { checkRequestBody } from './srv-support.js';

const ADD = 1;
const REMOVE = 2;
const add = {
  joinTimePeriod: 90,
  installCode: '30313233343536373839414243444546',
  importMpxn: '',
  secondaryImportMpan: '',
};
const update = (value: Record<string, unknown>) => ({ $case: 'updateHanDeviceLog', value }) as const;

/** The refusal's message, or undefined when the body passes; every refusal is INVALID_ARGUMENT. */
function refusal(srv: string, body: { $case: string; value: unknown }): string | undefined {
  try {
    checkRequestBody(srv, body as never);
    return undefined;
  } catch (error) {
    expect((error as { status: number }).status).toBe(GrpcStatus.INVALID_ARGUMENT);
    return (error as Error).message;
  }
}

describe('HAN bodies are checked before the hub stores the request', () => {
  it.each([
    ['8.7.1', 'joinServiceCritical'],
    ['8.7.2', 'joinServiceNonCritical'],
    ['8.8.1', 'unjoinServiceCritical'],
    ['8.8.2', 'unjoinServiceNonCritical'],
  ])('%s takes an OtherDeviceID in DUIS form', (srv, $case) => {
    expect(refusal(srv, { $case, value: { otherDeviceId: '00-DB-12-34-56-78-90-9A' } })).toBeUndefined();
    expect(refusal(srv, { $case, value: { otherDeviceId: '00db12345678909a' } })).toMatch(/otherDeviceId/);
    expect(refusal(srv, { $case, value: { otherDeviceId: '' } })).toMatch(/otherDeviceId/);
  });

  it('8.9 takes an empty body or the security-details flag', () => {
    expect(refusal('8.9', { $case: 'readDeviceLog', value: { readSecurityDetails: true } })).toBeUndefined();
    expect(refusal('8.9', { $case: 'readDeviceLog', value: {} })).toBeUndefined();
  });

  it('8.11 Add needs a whitelist entry with a join period, a 16-byte install code and well-formed MPxNs', () => {
    const id = '00-DB-12-34-56-78-90-A0';
    expect(refusal('8.11', update({ deviceId: id, requestType: ADD, add }))).toBeUndefined();
    expect(
      refusal(
        '8.11',
        update({
          deviceId: id,
          requestType: ADD,
          add: { ...add, importMpxn: '1312345678111', secondaryImportMpan: '1312345678222' },
        }),
      ),
    ).toBeUndefined();
    expect(refusal('8.11', update({ deviceId: id, requestType: ADD }))).toMatch(/needs add/);
    expect(
      refusal('8.11', update({ deviceId: id, requestType: ADD, add: { ...add, joinTimePeriod: 0 } })),
    ).toMatch(/add\.joinTimePeriod/);
    expect(
      refusal('8.11', update({ deviceId: id, requestType: ADD, add: { ...add, installCode: '3031' } })),
    ).toMatch(/add\.installCode/);
    expect(
      refusal('8.11', update({ deviceId: id, requestType: ADD, add: { ...add, importMpxn: '12345' } })),
    ).toMatch(/add\.importMpxn/);
    expect(
      refusal(
        '8.11',
        update({ deviceId: id, requestType: ADD, add: { ...add, secondaryImportMpan: '1312345678222' } }),
      ),
    ).toMatch(/secondaryImportMpan goes with/);
  });

  it('8.11 Remove takes the device id only; an unknown request type or a bad device id is refused', () => {
    const id = '00-DB-12-34-56-78-90-A0';
    expect(refusal('8.11', update({ deviceId: id, requestType: REMOVE }))).toBeUndefined();
    expect(refusal('8.11', update({ deviceId: id, requestType: REMOVE, add }))).toMatch(
      /Remove takes no add/,
    );
    expect(refusal('8.11', update({ deviceId: id, requestType: 0 }))).toMatch(/Add or Remove/);
    expect(refusal('8.11', update({ deviceId: 'A0', requestType: REMOVE }))).toMatch(/deviceId/);
  });
});

describe('8.12.x Restore HAN / GPF Device Log bodies', () => {
  const OLD = '00-DB-12-34-56-78-90-95';
  const restore = (srv: '8.12.1' | '8.12.2', value: Record<string, unknown>) =>
    refusal(srv, {
      $case: srv === '8.12.1' ? 'restoreHanDeviceLog' : 'restoreGpfDeviceLog',
      value: { savedEntries: [], ...value },
    });

  it('take the old CHF or GPF as a device id', () => {
    expect(restore('8.12.1', { oldChfId: OLD })).toBeUndefined();
    expect(restore('8.12.2', { oldGpfId: OLD })).toBeUndefined();
    expect(restore('8.12.1', { oldChfId: '' })).toMatch(/SRV 8.12.1: oldChfId must be a device id/);
    expect(restore('8.12.2', { oldGpfId: '00-db-12-34-56-78-90-95' })).toMatch(
      /oldGpfId must be a device id/,
    );
  });

  it('refuse saved entries a User sends: the hub fills them from its inventory', () => {
    const savedEntries = [{ deviceId: '00-DB-12-34-56-78-90-A0', deviceType: 'ESME' }];
    expect(restore('8.12.1', { oldChfId: OLD, savedEntries })).toMatch(/savedEntries are filled by the hub/);
    expect(restore('8.12.2', { oldGpfId: OLD, savedEntries })).toMatch(/savedEntries are filled by the hub/);
  });
});
