import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { ServiceRequest } from '@dcc/proto';
import { describe, expect, it } from 'vitest';
import { p1363ToDer } from './der-signature.ts';
import { counterFacts, requestCounter } from './request-ids.ts';
import {
  createSchedule,
  dailyProfileSchedule,
  readRegisters,
  readYesterdaysProfile,
  submitSigned,
  topUp,
  transformTariff,
  type Iteration,
} from './requests.ts';
import { HUB_ID, scenario } from './scenarios.ts';

const at = Date.UTC(2026, 10, 24, 2, 30);
const it_ = (name: Parameters<typeof scenario>[0], iteration = 7): Iteration => ({
  scenario: scenario(name),
  device: '00-DB-12-00-00-00-00-2A',
  intendedStartMs: at,
  iteration,
});

describe('RequestID counters', () => {
  it('carry the intended start and the scenario, and grow with time', () => {
    const c = requestCounter(at + 0.7, 4, 123);
    expect(counterFacts(`a:b:${c}`)).toEqual({ intendedStartMs: at, scenarioIndex: 4 });
    expect(BigInt(requestCounter(at + 1, 1, 0))).toBeGreaterThan(BigInt(requestCounter(at, 9, 99)));
    expect(counterFacts('a:b:77')).toBeUndefined();
  });
});

describe('request builders (protojson, as k6 sends them and ts-proto reads them)', () => {
  it('4.1.1 and the nightly 4.8.1 of yesterday’s UTC day', () => {
    const read = ServiceRequest.fromJSON(readRegisters(it_('on-demand-reads')));
    expect(read).toMatchObject({ serviceReferenceVariant: '4.1.1', commandVariant: 1 });
    expect(read.body?.$case).toBe('readInstantaneousImportRegisters');
    expect(read.requestId).toMatch(/^90-B3-D5-1F-30-01-00-00:00-DB-12-00-00-00-00-2A:\d{16}$/);
    const profile = ServiceRequest.fromJSON(readYesterdaysProfile(it_('nightly-collection')));
    expect(profile.body).toEqual({
      $case: 'readActiveImportProfileData',
      value: { period: { startMs: Date.UTC(2026, 10, 23), endMs: Date.UTC(2026, 10, 24) } },
    });
    expect(profile.userRole).toBe(1);
  });

  it('2.2 with its UTRN, and the DNO’s 4.8.1 in its own role', () => {
    expect(ServiceRequest.fromJSON(topUp(it_('top-ups'), '7'.repeat(20))).body).toEqual({
      $case: 'topUpDevice',
      value: { utrn: '7'.repeat(20) },
    });
    expect(ServiceRequest.fromJSON(readYesterdaysProfile(it_('on-demand-profile'))).userRole).toBe(4);
  });

  it('critical: CV 4 with the tariff, then CV 5 with the signed pre-command under the same RequestID', () => {
    const cv4 = transformTariff(it_('critical-commands'));
    const decoded = ServiceRequest.fromJSON(cv4);
    expect(decoded.commandVariant).toBe(4);
    expect(decoded.body?.$case === 'updateImportTariff' && decoded.body.value.switchingTable).toHaveLength(
      48,
    );
    const cv5 = ServiceRequest.fromJSON(submitSigned(cv4, 'AQID', 'BAU='));
    expect(cv5).toMatchObject({ requestId: cv4.requestId, commandVariant: 5, body: undefined });
    expect([...cv5.signedPreCommand!.preCommand]).toEqual([1, 2, 3]);
    expect(cv5.signedPreCommand!.keyId).toBe('1');
  });

  it('5.1 goes to the hub with command variant 8 and carries the DUIS schedule fields in the model', () => {
    const request = createSchedule(it_('schedules'));
    expect(request).toMatchObject({ commandVariant: 8, serviceReferenceVariant: '5.1' });
    expect(request.requestId.split(':')[1]).toBe(HUB_ID);
    expect(dailyProfileSchedule(it_('schedules'))).toEqual({
      scheduledServiceReferenceVariant: '4.8.1',
      deviceId: '00-DB-12-00-00-00-00-2A',
      frequency: 'SCHEDULE_FREQUENCY_DAILY',
      startDateMs: String(Date.UTC(2026, 10, 25)),
      executionTimeS: 3_600,
      startDateOffset: -1,
      startTimeS: 0,
      endDateOffset: 0,
      endTimeS: 0,
      purpose: 'MHHS',
    });
    // It decodes as the gRPC API's CreateSchedule, nothing dropped.
    const decoded = ServiceRequest.fromJSON(request);
    expect(decoded.body?.$case).toBe('createSchedule');
  });
});

describe('P1363 → DER (k6 signs with WebCrypto, the hub wants DER)', () => {
  it('gives a signature Node verifies as DER, including r or s with the top bit set or leading zeros', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    for (let i = 0; i < 64; i++) {
      const data = Buffer.from(`pre-command ${i}`);
      const raw = sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
      const der = Buffer.from(p1363ToDer(raw));
      expect(verify('sha256', data, { key: publicKey, dsaEncoding: 'der' }, der)).toBe(true);
      expect(der.length).toBeLessThanOrEqual(72);
    }
    const zeros = p1363ToDer(new Uint8Array(64).fill(0x80, 32).fill(0, 0, 32));
    expect([...zeros.subarray(0, 5)]).toEqual([0x30, 3 + 35, 0x02, 1, 0]);
  });
});
