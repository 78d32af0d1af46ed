import { buildUtrn, utrnAuthenticator, type Eui64 } from '@dcc/domain';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AlertCode } from './alerts.js';
import { DEFAULT_SUPPLIER_ID } from './device-model.js';
import type { KaKeySource } from './ka-key-source.js';
import { MeterHarness } from './meter-harness.js';

const DEVICE = '00-DB-12-00-00-00-00-3C' as Eui64;
const block = (n: bigint) => n << 32n;
const p256 = () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' });

/** A meter whose KA keys are real (freshly generated), not the development ones derived from ids. */
function meterWithKeys(deviceKey: KeyObject, topUpKeys: Map<string, KeyObject>): MeterHarness {
  const kaKeys: KaKeySource = {
    devicePrivateKey: () => deviceKey,
    supplierTopUpPublicKey: (supplierId) => topUpKeys.get(supplierId),
  };
  return new MeterHarness(DEVICE, 0, Date.UTC(2026, 2, 2, 6), { kaKeys });
}

describe('UTRN verification with configured KA keys', () => {
  const device = p256();
  const supplier = p256();
  const issue = (supplierKey: KeyObject, counter: bigint, value: number) =>
    buildUtrn(utrnAuthenticator(supplierKey, device.publicKey), {
      originator: DEFAULT_SUPPLIER_ID,
      target: DEVICE,
      counter,
      valueClass: 'pennies',
      value,
    });

  it('credits a UTRN made with the supplier top-up key the device holds, once', () => {
    const h = meterWithKeys(device.privateKey, new Map([[DEFAULT_SUPPLIER_ID, supplier.publicKey]]));
    const utrn = issue(supplier.privateKey, block(1n), 700);
    expect(h.send('2.2', { utrn }).body).toMatchObject({ creditedPence: 700, counter: block(1n).toString() });
    const again = h.send('2.2', { utrn });
    expect(again.rejection?.reason).toBe('UTRN_DUPLICATE');
    expect(again.alerts.map((a) => a.code)).toEqual([AlertCode.UTRN_DUPLICATE]);
  });

  it('refuses UTRNs made with another key, including the development key for the same ids', () => {
    const h = meterWithKeys(device.privateKey, new Map([[DEFAULT_SUPPLIER_ID, supplier.publicKey]]));
    const stranger = issue(p256().privateKey, block(1n), 700);
    expect(h.send('2.2', { utrn: stranger }).rejection?.reason).toBe('UTRN_NOT_AUTHENTIC');
    expect(h.send('2.2', { utrn: h.utrn(700) }).rejection?.reason).toBe('UTRN_NOT_AUTHENTIC');
    expect(h.send('2.2', { utrn: issue(supplier.privateKey, block(2n), 300) }).body!.creditedPence).toBe(300);
  });

  it('refuses every UTRN when it holds no top-up key for its supplier', () => {
    const h = meterWithKeys(device.privateKey, new Map());
    const result = h.send('2.2', { utrn: issue(supplier.privateKey, block(1n), 700) });
    expect(result.rejection?.reason).toBe('UTRN_NOT_AUTHENTIC');
    expect(result.rejection?.message).toMatch(/no top-up key for supplier/);
    expect(result.alerts.map((a) => a.code)).toEqual([AlertCode.UTRN_NOT_AUTHENTIC]);
  });
});
