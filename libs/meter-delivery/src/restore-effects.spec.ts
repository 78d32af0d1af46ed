import type { MeterCommand, ServiceResponse } from '@dcc/proto';
import { describe, expect, it } from 'vitest';
import { deviceLogRestoredReportOf } from './restore-effects.js';

const NEW_CHF = '00-DB-12-34-56-78-90-A2';
const OLD_CHF = '00-DB-12-34-56-78-90-95';
const REQUEST_ID = `90-B3-D5-1F-30-01-00-00:${NEW_CHF}:7`;

const command = {
  deviceId: NEW_CHF,
  request: { requestId: REQUEST_ID, serviceReferenceVariant: '8.12.1' },
} as MeterCommand;
const restored = (responseCode: string): ServiceResponse =>
  ({
    responseCode,
    body: {
      $case: 'hanDeviceLogRestored',
      value: { oldDeviceId: OLD_CHF, entries: [], restoredCount: 0, meterTimeMs: 0 },
    },
  }) as unknown as ServiceResponse;

describe('deviceLogRestoredReportOf', () => {
  it('reports an executed restore: the new device, the old one, the SRV and the RequestID', () => {
    expect(deviceLogRestoredReportOf(command, restored('I0'))).toEqual({
      serviceReferenceVariant: '8.12.1',
      newDeviceId: NEW_CHF,
      oldDeviceId: OLD_CHF,
      requestId: REQUEST_ID,
    });
  });

  it('reports nothing for a refused restore or another answer', () => {
    expect(deviceLogRestoredReportOf(command, restored('E21'))).toBeUndefined();
    const other = {
      responseCode: 'I0',
      body: { $case: 'hanDeviceLog', value: {} },
    } as unknown as ServiceResponse;
    expect(deviceLogRestoredReportOf(command, other)).toBeUndefined();
  });
});
