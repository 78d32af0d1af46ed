import type { Eui64 } from '@dcc/domain';
import { describe, expect, it } from 'vitest';
import { AlertCode } from './alerts.js';
import { MeterHarness } from './meter-harness.js';
import { createUtrn } from './utrn.js';

const id = '00-DB-12-00-00-00-00-2A' as Eui64;
const start = Date.UTC(2026, 2, 2, 6);
const NEW_SUPPLIER = '90-B3-D5-1F-30-05-00-00';
const block = (n: number) => BigInt(n) << 32n;
const codes = (alerts: { code: number }[]) => alerts.map((a) => a.code);

/** A prepayment meter with £50 of credit. */
function prepaid(): MeterHarness {
  const h = new MeterHarness(id, 0, start);
  h.send('1.5', { adjustPence: 5_000 });
  h.send('1.6', { mode: 'prepayment' });
  return h;
}
const balance = (h: MeterHarness) => h.send('4.18').body!.meterBalancePence;

describe('a UTRN keyed in on the meter or PPMID', () => {
  it('credits with 0x810E, and the same UTRN then sent over the WAN is a duplicate (0x8F51): credited once', () => {
    const h = prepaid();
    const before = balance(h);
    const utrn = h.utrn(1_000);
    const keyed = h.meter.keyInUtrn(utrn, 'ppmid');
    expect(keyed.creditedPence).toBe(1_000);
    expect(codes(keyed.alerts)).toContain(AlertCode.CREDIT_ADDED_LOCALLY);
    const wan = h.send('2.2', { utrn });
    expect(wan.rejection?.reason).toBe('UTRN_DUPLICATE');
    expect(codes(wan.alerts)).toEqual([AlertCode.UTRN_DUPLICATE]);
    expect(balance(h)).toBeCloseTo(before + 1_000, 0);
  });

  it('after the WAN delivered it, keying it in is a duplicate; keyed twice, the second is a duplicate', () => {
    const h = prepaid();
    const before = balance(h);
    const first = h.utrn(700);
    expect(h.send('2.2', { utrn: first }).body!.creditedPence).toBe(700);
    const again = h.meter.keyInUtrn(first);
    expect(again.rejection?.reason).toBe('UTRN_DUPLICATE');
    expect(codes(again.alerts)).toEqual([AlertCode.UTRN_DUPLICATE]);
    const second = h.utrn(300);
    expect(h.meter.keyInUtrn(second).creditedPence).toBe(300);
    expect(codes(h.meter.keyInUtrn(second).alerts)).toEqual([AlertCode.UTRN_DUPLICATE]);
    expect(balance(h)).toBeCloseTo(before + 1_000, 0);
  });

  it('the old supplier’s UTRN after a change of supplier, or one for another device: not authentic (0x8F63)', () => {
    const h = prepaid();
    const oldUtrn = h.utrn(500);
    h.send('6.23', { supplierId: NEW_SUPPLIER, signingKeyId: 'K2', topUpFloor: '0' }, { signer: null });
    const old = h.meter.keyInUtrn(oldUtrn);
    expect(old.rejection?.reason).toBe('UTRN_NOT_AUTHENTIC');
    expect(codes(old.alerts)).toEqual([AlertCode.UTRN_NOT_AUTHENTIC]);
    // The new supplier's UTRN for another device (same keys otherwise): the tag binds the target.
    const elsewhere = createUtrn({
      supplierId: NEW_SUPPLIER,
      deviceId: '00-DB-12-00-00-00-00-2B',
      supplierTopUpKey: h.topUpKeyPair(NEW_SUPPLIER).privateKey,
      devicePublicKey: h.kaKeys.keyPair('00-DB-12-00-00-00-00-2B').publicKey,
      counter: block(1),
      pence: 500,
    });
    expect(codes(h.meter.keyInUtrn(elsewhere).alerts)).toEqual([AlertCode.UTRN_NOT_AUTHENTIC]);
    expect(h.meter.keyInUtrn(h.utrn(500, block(1), NEW_SUPPLIER)).creditedPence).toBe(500);
  });

  it('over the maximum meter balance (0x8F47) or credit per top-up (0x8F5B): refused, the UTRN still usable', () => {
    const h = prepaid();
    h.send('2.1', { maxMeterBalancePence: 5_500, maxCreditThresholdPence: 2_000 });
    const tooBig = h.utrn(2_500);
    expect(codes(h.meter.keyInUtrn(tooBig).alerts)).toEqual([AlertCode.UTRN_EXCEEDS_MAX_CREDIT]);
    const overBalance = h.utrn(1_000);
    const refused = h.meter.keyInUtrn(overBalance);
    expect(refused.rejection?.reason).toBe('CREDIT_EXCEEDS_MAX_METER_BALANCE');
    expect(codes(refused.alerts)).toEqual([AlertCode.CREDIT_WOULD_EXCEED_MAX_METER_BALANCE]);
    h.send('2.1', { maxMeterBalancePence: 10_000 });
    expect(h.meter.keyInUtrn(overBalance).creditedPence).toBe(1_000);
  });

  it('anything but 20 digits is refused as not authentic; a meter without power takes nothing', () => {
    const h = prepaid();
    expect(codes(h.meter.keyInUtrn('1234').alerts)).toEqual([AlertCode.UTRN_NOT_AUTHENTIC]);
    const utrn = h.utrn(400);
    h.meter.powerOutage();
    const dark = h.meter.keyInUtrn(utrn);
    expect(dark).toMatchObject({ alerts: [], stateChanged: false });
    h.clock.advance(1_000);
    h.meter.powerRestored();
    expect(h.meter.keyInUtrn(utrn).creditedPence).toBe(400);
  });
});
