import { buildUtrn, kaPublicKeyText, utrnAuthenticator, type Eui64 } from '@dcc/domain';
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AlertCode } from './alerts.js';
import { DeviceKaKeys } from './device-ka-keys.js';
import { DEFAULT_SIGNING_KEY_ID, DEFAULT_SUPPLIER_ID } from './device-model.js';
import { MeterHarness } from './meter-harness.js';

const DEVICE = '00-DB-12-00-00-00-00-3C' as Eui64;
const block = (n: bigint) => n << 32n;
const p256 = () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' });

/** A meter provisioned from `devices`, trusting the default supplier with `topUpKey` (or none). */
function meterWith(devices: DeviceKaKeys | undefined, topUpKey: KeyObject | null): MeterHarness {
  return new MeterHarness(DEVICE, 0, Date.UTC(2026, 2, 2, 6), {
    kaKeys: devices,
    trustedSupplier: {
      supplierId: DEFAULT_SUPPLIER_ID,
      keyId: DEFAULT_SIGNING_KEY_ID,
      topUpKey: topUpKey ? kaPublicKeyText(topUpKey) : null,
    },
  });
}

describe('UTRN verification with the device’s and the supplier’s KA keys', () => {
  const devices = new DeviceKaKeys(randomBytes(32));
  const supplier = p256();
  const issue = (supplierKey: KeyObject, counter: bigint, value: number, deviceKeys = devices) =>
    buildUtrn(utrnAuthenticator(supplierKey, deviceKeys.keyPair(DEVICE).publicKey), {
      originator: DEFAULT_SUPPLIER_ID,
      target: DEVICE,
      counter,
      valueClass: 'pennies',
      value,
    });

  it('credits a UTRN made with the supplier top-up key the device holds, once', () => {
    const h = meterWith(devices, supplier.publicKey);
    const utrn = issue(supplier.privateKey, block(1n), 700);
    expect(h.send('2.2', { utrn }).body).toMatchObject({ creditedPence: 700, counter: block(1n).toString() });
    const again = h.send('2.2', { utrn });
    expect(again.rejection?.reason).toBe('UTRN_DUPLICATE');
    expect(again.alerts.map((a) => a.code)).toEqual([AlertCode.UTRN_DUPLICATE]);
  });

  it('refuses UTRNs made with another supplier key, or for the same id provisioned from another secret', () => {
    const h = meterWith(devices, supplier.publicKey);
    expect(h.send('2.2', { utrn: issue(p256().privateKey, block(1n), 700) }).rejection?.reason).toBe(
      'UTRN_NOT_AUTHENTIC',
    );
    const otherDevices = new DeviceKaKeys(randomBytes(32));
    expect(
      h.send('2.2', { utrn: issue(supplier.privateKey, block(1n), 700, otherDevices) }).rejection?.reason,
    ).toBe('UTRN_NOT_AUTHENTIC');
    expect(h.send('2.2', { utrn: issue(supplier.privateKey, block(2n), 300) }).body!.creditedPence).toBe(300);
  });

  it('refuses every UTRN when it holds no top-up key for its supplier, or no KA key of its own', () => {
    const noTopUp = meterWith(devices, null).send('2.2', {
      utrn: issue(supplier.privateKey, block(1n), 700),
    });
    expect(noTopUp.rejection?.message).toMatch(/no top-up key for supplier/);
    expect(noTopUp.alerts.map((a) => a.code)).toEqual([AlertCode.UTRN_NOT_AUTHENTIC]);
    const noKa = meterWith(undefined, supplier.publicKey).send('2.2', {
      utrn: issue(supplier.privateKey, block(1n), 700),
    });
    expect(noKa.rejection?.message).toMatch(/no key-agreement key/);
  });
});
