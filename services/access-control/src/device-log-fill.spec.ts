import { GrpcStatus, parseRequestId } from '@dcc/domain';
import type { SavedDeviceLogReply, SavedDeviceLogRequest, ServiceRequest } from '@dcc/proto';
import { describe, expect, it } from 'vitest';
import { fillSavedDeviceLog, type SavedDeviceLogs } from './device-log-fill.js';

// 8.12.x: access control fills the old CHF's or GPF's saved log (registration's answer) into what is sent.

const NEW_CHF = '00-DB-12-34-56-78-90-A2';
const OLD_CHF = '00-DB-12-34-56-78-90-95';
const ENTRIES = [{ deviceId: '00-DB-12-34-56-78-90-A0', deviceType: 'ESME' }];

const request = (body: ServiceRequest['body'], srv = '8.12.1'): ServiceRequest => ({
  requestId: `90-B3-D5-1F-30-01-00-00:${NEW_CHF}:1`,
  commandVariant: 1,
  serviceReferenceVariant: srv,
  userRole: 1,
  body,
});
const admitted = (r: ServiceRequest) => ({ request: r, id: parseRequestId(r.requestId) });

/** A saved-log source answering one reply and recording what it was asked. */
function answering(
  reply: Partial<SavedDeviceLogReply>,
): SavedDeviceLogs & { asked: SavedDeviceLogRequest[] } {
  const asked: SavedDeviceLogRequest[] = [];
  const logs = async (q: SavedDeviceLogRequest) => {
    asked.push(q);
    return { refusal: '', detail: '', entries: [], ...reply };
  };
  return Object.assign(logs, { asked });
}

const restoreHan = request({ $case: 'restoreHanDeviceLog', value: { oldChfId: OLD_CHF, savedEntries: [] } });

describe('fillSavedDeviceLog', () => {
  it("8.12.1: asks for the old CHF's log with the new one and fills the entries in", async () => {
    const logs = answering({ entries: ENTRIES });
    const filled = await fillSavedDeviceLog(logs, admitted(restoreHan));
    expect(logs.asked).toEqual([
      { serviceReferenceVariant: '8.12.1', newDeviceId: NEW_CHF, oldDeviceId: OLD_CHF },
    ]);
    expect(filled.body).toEqual({
      $case: 'restoreHanDeviceLog',
      value: { oldChfId: OLD_CHF, savedEntries: ENTRIES },
    });
    expect(filled.requestId).toBe(restoreHan.requestId);
  });

  it('8.12.2: the same from the old GPF', async () => {
    const gpf = request(
      { $case: 'restoreGpfDeviceLog', value: { oldGpfId: OLD_CHF, savedEntries: [] } },
      '8.12.2',
    );
    const filled = await fillSavedDeviceLog(answering({ entries: ENTRIES }), admitted(gpf));
    expect(filled.body).toEqual({
      $case: 'restoreGpfDeviceLog',
      value: { oldGpfId: OLD_CHF, savedEntries: ENTRIES },
    });
  });

  it('passes any other request unchanged, without asking', async () => {
    const logs = answering({});
    const other = request({ $case: 'readDeviceLog', value: { readSecurityDetails: false } }, '8.9');
    expect(await fillSavedDeviceLog(logs, admitted(other))).toBe(other);
    expect(logs.asked).toEqual([]);
  });

  it.each([
    ['E19', GrpcStatus.NOT_FOUND, 'E19'],
    ['E11', GrpcStatus.INVALID_ARGUMENT, 'E11'],
    ['INVALID_ARGUMENT', GrpcStatus.INVALID_ARGUMENT, undefined],
    ['FAILED_PRECONDITION', GrpcStatus.FAILED_PRECONDITION, undefined],
    ['SOMETHING_ELSE', GrpcStatus.INTERNAL, undefined],
  ] as const)('refuses registration refusal %s with status %i and code %s', async (refusal, status, code) => {
    const refused = fillSavedDeviceLog(answering({ refusal, detail: 'why' }), admitted(restoreHan));
    await expect(refused).rejects.toMatchObject({
      status,
      responseCode: code,
      message: expect.stringMatching(/why/),
    });
  });

  it('without a route to registration: UNAVAILABLE', async () => {
    await expect(fillSavedDeviceLog(undefined, admitted(restoreHan))).rejects.toMatchObject({
      status: GrpcStatus.UNAVAILABLE,
    });
  });
});
