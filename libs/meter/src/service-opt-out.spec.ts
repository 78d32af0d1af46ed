import { GrpcStatus, type DccError } from '@dcc/domain';
import { describe, expect, it } from 'vitest';
import { TEST_ACB_CA, TEST_ACB_KA_CERTIFICATE, TEST_OTHER_CA } from './acb-test-certificates.js';
import { MeterHarness } from './meter-harness.js';
import { decodeState, encodeState } from './state-codec.js';

const START = Date.UTC(2026, 5, 1, 12);
const valid = {
  acbFloorSeq: '7',
  certificate: TEST_ACB_KA_CERTIFICATE,
  certificationPath: [TEST_ACB_CA],
  timeBasedChecks: true,
};

const thrown = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error as DccError;
  }
  throw new Error('accepted');
};

describe('8.5 Service Opt Out on the device (GBCS CS02b, ACB by ACB)', () => {
  for (const deviceType of ['ESME', 'GSME', 'CHF'] as const) {
    it(`${deviceType}: installs the replacement ACB credentials, then refuses the DCC's commands`, () => {
      const meter = new MeterHarness('00-DB-12-00-00-00-05-01' as never, 0, START, { deviceType });
      const result = meter.send('8.5', valid);
      expect(result.outcome).toBe('executed');
      expect(result.body).toMatchObject({ acbFloorSeq: '7', meterTimeMs: START });
      expect(result.body?.certificateSha256).toMatch(/^[0-9a-f]{64}$/);
      const after = meter.send('11.2', undefined);
      expect(after.outcome).toBe('rejected');
      expect(after.rejection?.reason).toBe('OPTED_OUT');
      expect(meter.send('8.5', valid).rejection?.reason).toBe('OPTED_OUT');
    });
  }

  it('keeps the opt-out across a save and restore of its state', () => {
    const meter = new MeterHarness('00-DB-12-00-00-00-05-02' as never, 0, START);
    meter.send('8.5', valid);
    const state = meter.meter.inspect();
    expect(decodeState(encodeState(state, true), true).accessControlBroker).toEqual(
      state.accessControlBroker,
    );
  });

  it('refuses a certificate its path did not issue (CERTIFICATE_REJECTED), and stays the DCC’s', () => {
    const meter = new MeterHarness('00-DB-12-00-00-00-05-03' as never, 0, START);
    const result = meter.send('8.5', { ...valid, certificationPath: [TEST_OTHER_CA] });
    expect(result.outcome).toBe('rejected');
    expect(result.rejection).toMatchObject({ reason: 'CERTIFICATE_REJECTED' });
    expect(result.rejection?.message).toMatch(/is not issued by/);
    expect(meter.send('11.2', undefined).outcome).toBe('executed');
  });

  it('applies the time-based checks only when asked: a certificate not yet valid at the device’s time', () => {
    const early = Date.UTC(2019, 0, 1);
    const checked = new MeterHarness('00-DB-12-00-00-00-05-04' as never, 0, early).send('8.5', valid);
    expect(checked.rejection?.message).toMatch(/not valid at the device's time/);
    const unchecked = new MeterHarness('00-DB-12-00-00-00-05-05' as never, 0, early).send('8.5', {
      ...valid,
      timeBasedChecks: false,
    });
    expect(unchecked.outcome).toBe('executed');
  });

  it('refuses malformed parameters with INVALID_ARGUMENT, changing nothing', () => {
    const meter = new MeterHarness('00-DB-12-00-00-00-05-06' as never, 0, START);
    const refusal = (params: object) => thrown(() => meter.send('8.5', params as never));
    expect(refusal({ ...valid, certificate: 'AAAA' }).message).toMatch(/not an X.509 certificate/);
    expect(refusal({ ...valid, certificationPath: [] }).message).toMatch(/certificationPath/);
    expect(refusal({ ...valid, acbFloorSeq: '18446744073709551616' }).message).toMatch(/64-bit/);
    expect(refusal({ ...valid, timeBasedChecks: 'yes' }).status).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(meter.send('11.2', undefined).outcome).toBe('executed');
  });
});
