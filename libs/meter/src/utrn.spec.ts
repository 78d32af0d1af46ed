import { describe, expect, it } from 'vitest';
import { candidateCounters, createUtrn, decodeUtrn, verifyUtrn } from './utrn.js';
import { buildUtrn, checkRequestBody, encodeUtrn, utrnAuthenticator } from '@dcc/domain';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { kaPublicKeyText } from '@dcc/domain';
import { DeviceKaKeys } from './device-ka-keys.js';
import type { UtrnRequest } from './utrn.js';

const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
const OTHER_SUPPLIER = '90-B3-D5-1F-30-09-00-00';
const DEVICE = '00-DB-12-00-00-00-00-2A';
const block = (n: number) => BigInt(n) << 32n;

// Fresh credentials: the supplier's top-up KA key pair, the devices' provisioning secret.
const topUp = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const otherTopUp = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const devices = new DeviceKaKeys(randomBytes(32));
type Issue = Omit<UtrnRequest, 'supplierTopUpKey' | 'devicePublicKey'>;
const make = (request: Issue, supplierTopUpKey = topUp.privateKey) =>
  createUtrn({ ...request, supplierTopUpKey, devicePublicKey: devices.keyPair(request.deviceId).publicKey });
/** Verifies as the device does, trusting SUPPLIER's top-up key. */
const verify = (utrn: string, supplierId: string, deviceId: string, mark: bigint) =>
  verifyUtrn(utrn, supplierId, deviceId, mark, {
    devicePrivateKey: devices.keyPair(deviceId).privateKey,
    supplierTopUpKey: kaPublicKeyText(topUp.publicKey),
  });

describe('UTRN structure (DCC-REFERENCE §4.1)', () => {
  it("decodes DCC's published SRV 2.2 sample: £10, counter bits 3, GBCS check digit", () => {
    const template = '73946144332040217315';
    expect(decodeUtrn(template)).toMatchObject({ counterBits: 3, valueClass: 'pounds', value: 10 });
    // It was issued for another supplier's and device's keys: well formed, so the tag is what fails.
    expect(verify(template, SUPPLIER, DEVICE, 0n)).toEqual({
      status: 'not-authentic',
      detail: 'authentication tag does not match',
    });
  });

  it("agrees with the hub's body validation and with the domain builder", () => {
    const made = make({ supplierId: SUPPLIER, deviceId: DEVICE, counter: block(4), pence: 1_234 });
    for (const value of [made, '73946144332040217315']) {
      expect(() => checkRequestBody('2.2', { $case: 'topUpDevice', value: { utrn: value } })).not.toThrow();
    }
    const wrongDigit = `${made.slice(0, 19)}${(Number(made[19]) + 1) % 10}`;
    expect(() => checkRequestBody('2.2', { $case: 'topUpDevice', value: { utrn: wrongDigit } })).toThrow(
      /check digit/,
    );
    const auth = utrnAuthenticator(topUp.privateKey, devices.keyPair(DEVICE).publicKey);
    const built = buildUtrn(auth, {
      originator: SUPPLIER,
      target: DEVICE,
      counter: block(4),
      valueClass: 'pennies',
      value: 1_234,
    });
    expect(built).toBe(made);
  });

  it('round-trips its fields: 20 digits, value class by size, counter bits 32..41', () => {
    for (const [pence, valueClass, value] of [
      [0, 'pennies', 0],
      [1, 'pennies', 1],
      [8_191, 'pennies', 8_191],
      [8_200, 'pounds', 82],
      [819_100, 'pounds', 8_191],
    ] as const) {
      const utrn = make({ supplierId: SUPPLIER, deviceId: DEVICE, counter: block(1_029), pence });
      expect(utrn).toMatch(/^[0-9]{20}$/);
      expect(decodeUtrn(utrn)).toMatchObject({ counterBits: 1_029 % 1_024, valueClass, value });
    }
  });

  it('refuses to make impossible UTRNs', () => {
    expect(() => make({ supplierId: SUPPLIER, deviceId: DEVICE, counter: 5n, pence: 1 })).toThrow(/low 32/);
    expect(() => make({ supplierId: SUPPLIER, deviceId: DEVICE, counter: 0n, pence: 1 })).toThrow();
    expect(() => make({ supplierId: SUPPLIER, deviceId: DEVICE, counter: block(1), pence: 8_250 })).toThrow();
    expect(() =>
      make({ supplierId: SUPPLIER, deviceId: DEVICE, counter: block(1), pence: 900_000 }),
    ).toThrow();
  });

  it('rejects wrong lengths, wrong check digits and reserved value classes structurally', () => {
    const utrn = make({ supplierId: SUPPLIER, deviceId: DEVICE, counter: block(1), pence: 500 });
    expect(decodeUtrn(utrn.slice(1))).toBeUndefined();
    expect(decodeUtrn(utrn.slice(0, 19) + ((Number(utrn[19]) + 1) % 10))).toBeUndefined();
    expect(decodeUtrn('00000000000000000000')).toBeUndefined();
  });
});

describe('UTRN counter inference', () => {
  it('takes the next counter above the high-water mark with the carried bits, across 2^42 blocks', () => {
    expect(candidateCounters(5, 0n)).toEqual({ next: block(5) });
    expect(candidateCounters(5, block(5))).toEqual({ next: block(5) + (1n << 42n), previous: block(5) });
    expect(candidateCounters(3, block(1_023))).toEqual({ next: block(1_027), previous: block(3) });
  });
});

describe('UTRN verification', () => {
  it('accepts a fresh UTRN, then calls the same one a duplicate', () => {
    const utrn = make({ supplierId: SUPPLIER, deviceId: DEVICE, counter: block(7), pence: 1_000 });
    expect(verify(utrn, SUPPLIER, DEVICE, 0n)).toEqual({
      status: 'accepted',
      counter: block(7),
      pence: 1_000,
      valueClass: 'pennies',
    });
    expect(verify(utrn, SUPPLIER, DEVICE, block(7))).toEqual({ status: 'duplicate', counter: block(7) });
    expect(verify(utrn, SUPPLIER, DEVICE, block(9))).toEqual({ status: 'duplicate', counter: block(7) });
  });

  it('property: any of the last 1023 UTRNs replayed is a duplicate, never accepted', () => {
    let mark = 0n;
    const issued: string[] = [];
    for (let i = 1; i <= 60; i++) {
      const counter = block(i * 17 + (i % 5));
      const utrn = make({ supplierId: SUPPLIER, deviceId: DEVICE, counter, pence: 100 + i });
      const verdict = verify(utrn, SUPPLIER, DEVICE, mark);
      expect(verdict.status).toBe('accepted');
      if (verdict.status === 'accepted') mark = verdict.counter;
      issued.push(utrn);
      for (const old of issued.slice(-5))
        expect(verify(old, SUPPLIER, DEVICE, mark).status).toBe('duplicate');
    }
  });

  it('is not authentic for another supplier, another device, or altered digits', () => {
    const utrn = make({ supplierId: SUPPLIER, deviceId: DEVICE, counter: block(2), pence: 2_000 });
    expect(verify(utrn, OTHER_SUPPLIER, DEVICE, 0n).status).toBe('not-authentic');
    expect(verify(utrn, SUPPLIER, '00-DB-12-00-00-00-00-2B', 0n).status).toBe('not-authentic');
    // Change the amount but keep the tag and a valid check digit: the tag no longer matches.
    const fields = decodeUtrn(utrn)!;
    expect(verify(encodeUtrn(fields.highWord + 1, fields.tag), SUPPLIER, DEVICE, 0n).status).toBe(
      'not-authentic',
    );
    // Another supplier's key in this supplier's name: not authentic.
    const forged = make(
      { supplierId: SUPPLIER, deviceId: DEVICE, counter: block(2), pence: 8_000 },
      otherTopUp.privateKey,
    );
    expect(verify(forged, SUPPLIER, DEVICE, 0n).status).toBe('not-authentic');
    // The device provisioned from another secret (same id): not authentic.
    const elsewhere = new DeviceKaKeys(randomBytes(32)).keyPair(DEVICE).privateKey;
    expect(
      verifyUtrn(utrn, SUPPLIER, DEVICE, 0n, {
        devicePrivateKey: elsewhere,
        supplierTopUpKey: kaPublicKeyText(topUp.publicKey),
      }).status,
    ).toBe('not-authentic');
    expect(verify('12345678901234567890', SUPPLIER, DEVICE, 0n).status).toBe('not-authentic');
  });
});

describe('device KA keys', () => {
  it('are a function of the provisioning secret and the device id, not of the id alone', () => {
    const secret = randomBytes(32);
    const a = new DeviceKaKeys(secret).keyPair(DEVICE).publicKey;
    const b = new DeviceKaKeys(Buffer.from(secret)).keyPair(DEVICE.toLowerCase()).publicKey;
    expect(kaPublicKeyText(a)).toBe(kaPublicKeyText(b));
    expect(kaPublicKeyText(new DeviceKaKeys(randomBytes(32)).keyPair(DEVICE).publicKey)).not.toBe(
      kaPublicKeyText(a),
    );
    expect(kaPublicKeyText(devices.keyPair('00-DB-12-00-00-00-00-2B').publicKey)).not.toBe(
      kaPublicKeyText(devices.keyPair(DEVICE).publicKey),
    );
    expect(() => new DeviceKaKeys(randomBytes(16))).toThrow(/32 bytes/);
  });
});
