import { GrpcStatus, type DccError } from '@dcc/domain';
import { describe, expect, it } from 'vitest';
import { TEST_ACB_CA, TEST_ACB_KA_CERTIFICATE, TEST_OTHER_CA } from './acb-test-certificates.js';
import { MeterHarness } from './meter-harness.js';
import { decodeState, encodeState } from './state-codec.js';

// The 8.5 test chain stands in for a party's replacement certificates: the device only validates the path.
const START = Date.UTC(2026, 5, 1, 12);
const supplier = {
  role: 'supplier' as const,
  floorSeq: '0',
  topUpFloorSeq: '5',
  signingCertificate: TEST_ACB_KA_CERTIFICATE,
  keyAgreementCertificate: TEST_ACB_KA_CERTIFICATE,
  topUpCertificate: TEST_ACB_KA_CERTIFICATE,
  certificationPath: [TEST_ACB_CA],
  timeBasedChecks: true,
};
const { topUpFloorSeq: _floor, topUpCertificate: _certificate, ...networkOperatorBase } = supplier;
const networkOperator = { ...networkOperatorBase, role: 'networkOperator' as const };

let next = 0;
const meterOf = (deviceType: 'ESME' | 'GSME' | 'GPF' | 'CHF' | 'PPMID' | 'HCALCS', at = START) =>
  new MeterHarness(
    `00-DB-12-00-00-00-06-${(next++).toString(16).toUpperCase().padStart(2, '0')}` as never,
    0,
    at,
    {
      deviceType,
    },
  );

const thrown = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error as DccError;
  }
  throw new Error('accepted');
};

describe('6.21 Request Handover Of DCC Controlled Device on the device (GBCS CS02b)', () => {
  const cases = [
    ['ESME', supplier, 'executed'],
    ['GSME', supplier, 'executed'],
    ['GPF', supplier, 'executed'],
    ['ESME', networkOperator, 'executed'],
    ['GPF', networkOperator, 'executed'],
    ['GSME', networkOperator, 'NO_SUCH_TRUST_ANCHOR'],
    ['CHF', supplier, 'NO_SUCH_TRUST_ANCHOR'],
    ['PPMID', supplier, 'NO_SUCH_TRUST_ANCHOR'],
    ['HCALCS', networkOperator, 'NO_SUCH_TRUST_ANCHOR'],
  ] as const;
  for (const [deviceType, params, expected] of cases) {
    it(`${deviceType}, ${params.role} handover: ${expected}`, () => {
      const meter = meterOf(deviceType);
      const result = meter.send('6.21', params);
      if (expected === 'executed') {
        expect(result.outcome).toBe('executed');
        expect(result.body).toMatchObject({ role: params.role, floorSeq: '0', meterTimeMs: START });
        expect(result.body?.signingSha256).toMatch(/^[0-9a-f]{64}$/);
        expect(result.body?.topUpFloorSeq).toBe(params.role === 'supplier' ? '5' : undefined);
        expect(meter.meter.inspect().handedOver[params.role]).toBeDefined();
      } else {
        expect(result.rejection?.reason).toBe(expected);
        expect(meter.meter.inspect().handedOver).toEqual({});
      }
    });
  }

  it('after a supplier handover refuses the SRVs only a supplier sends (HANDED_OVER), not the others', () => {
    const meter = meterOf('ESME');
    meter.send('6.21', supplier);
    const again = meter.send('6.21', networkOperator);
    expect(again.rejection).toMatchObject({ reason: 'HANDED_OVER' });
    expect(again.rejection?.message).toMatch(/supplier trust anchors/);
    // 11.2 may be sent by a network operator too, whose trust anchor is still a DCC User's.
    expect(meter.send('11.2', undefined).outcome).toBe('executed');
  });

  it('keeps the handed-over credentials across a save and restore of its state', () => {
    const meter = meterOf('ESME');
    meter.send('6.21', networkOperator);
    const state = meter.meter.inspect();
    expect(decodeState(encodeState(state, true), true).handedOver).toEqual(state.handedOver);
  });

  it('refuses a replacement its path did not issue (CERTIFICATE_REJECTED), changing nothing', () => {
    const meter = meterOf('ESME');
    const result = meter.send('6.21', { ...supplier, certificationPath: [TEST_OTHER_CA] });
    expect(result.rejection).toMatchObject({ reason: 'CERTIFICATE_REJECTED' });
    expect(result.rejection?.message).toMatch(/is not issued by/);
    expect(meter.meter.inspect().handedOver).toEqual({});
  });

  it('applies the time-based checks only when asked', () => {
    const early = Date.UTC(2019, 0, 1);
    expect(meterOf('ESME', early).send('6.21', supplier).rejection?.message).toMatch(
      /not valid at the device/,
    );
    expect(meterOf('ESME', early).send('6.21', { ...supplier, timeBasedChecks: false }).outcome).toBe(
      'executed',
    );
  });

  it('refuses malformed parameters with INVALID_ARGUMENT', () => {
    const meter = meterOf('ESME');
    const refusal = (params: object) => thrown(() => meter.send('6.21', params as never));
    expect(refusal({ ...supplier, role: 'acb' }).message).toMatch(/role must be/);
    expect(refusal({ ...networkOperator, topUpFloorSeq: '1' }).message).toMatch(/supplier handover only/);
    expect(refusal({ ...supplier, signingCertificate: 'AAAA' }).message).toMatch(/not an X.509 certificate/);
    expect(refusal({ ...supplier, certificationPath: [] }).message).toMatch(/certificationPath/);
    expect(refusal({ ...supplier, floorSeq: '18446744073709551616' }).message).toMatch(/64-bit/);
    expect(refusal({ ...supplier, timeBasedChecks: 'yes' }).status).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(meter.meter.inspect().handedOver).toEqual({});
  });
});
