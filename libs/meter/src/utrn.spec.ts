import { describe, expect, it } from 'vitest';
import { candidateCounters, createUtrn, decodeUtrn, verifyUtrn } from './utrn.js';
import { buildUtrn, checkRequestBody, encodeUtrn, utrnAuthenticator } from '@dcc/domain';
import { developmentKaKeyPair } from './dev-ka-keys.js';

const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
const OTHER_SUPPLIER = '90-B3-D5-1F-30-09-00-00';
const DEVICE = '00-DB-12-00-00-00-00-2A';
const block = (n: number) => BigInt(n) << 32n;

describe('UTRN structure (DCC-REFERENCE §4.1)', () => {
  it("decodes DCC's published SRV 2.2 sample: £10, counter bits 3, GBCS check digit", () => {
    const template = '73946144332040217315';
    expect(decodeUtrn(template)).toMatchObject({ counterBits: 3, valueClass: 'pounds', value: 10 });
    // It was issued for another supplier's and device's keys: well formed, so the tag is what fails.
    expect(verifyUtrn(template, SUPPLIER, DEVICE, 0n)).toEqual({
      status: 'not-authentic',
      detail: 'authentication tag does not match',
    });
  });

  it("agrees with the hub's body validation and with the domain builder under the development keys", () => {
    const made = createUtrn({ supplierId: SUPPLIER, deviceId: DEVICE, counter: block(4), pence: 1_234 });
    for (const value of [made, '73946144332040217315']) {
      expect(() => checkRequestBody('2.2', { $case: 'topUpDevice', value: { utrn: value } })).not.toThrow();
    }
    const wrongDigit = `${made.slice(0, 19)}${(Number(made[19]) + 1) % 10}`;
    expect(() => checkRequestBody('2.2', { $case: 'topUpDevice', value: { utrn: wrongDigit } })).toThrow(
      /check digit/,
    );
    const auth = utrnAuthenticator(
      developmentKaKeyPair('supplier-top-up', SUPPLIER).privateKey,
      developmentKaKeyPair('device', DEVICE).publicKey,
    );
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
      const utrn = createUtrn({ supplierId: SUPPLIER, deviceId: DEVICE, counter: block(1_029), pence });
      expect(utrn).toMatch(/^[0-9]{20}$/);
      expect(decodeUtrn(utrn)).toMatchObject({ counterBits: 1_029 % 1_024, valueClass, value });
    }
  });

  it('refuses to make impossible UTRNs', () => {
    expect(() => createUtrn({ supplierId: SUPPLIER, deviceId: DEVICE, counter: 5n, pence: 1 })).toThrow(
      /low 32/,
    );
    expect(() => createUtrn({ supplierId: SUPPLIER, deviceId: DEVICE, counter: 0n, pence: 1 })).toThrow();
    expect(() =>
      createUtrn({ supplierId: SUPPLIER, deviceId: DEVICE, counter: block(1), pence: 8_250 }),
    ).toThrow();
    expect(() =>
      createUtrn({ supplierId: SUPPLIER, deviceId: DEVICE, counter: block(1), pence: 900_000 }),
    ).toThrow();
  });

  it('rejects wrong lengths, wrong check digits and reserved value classes structurally', () => {
    const utrn = createUtrn({ supplierId: SUPPLIER, deviceId: DEVICE, counter: block(1), pence: 500 });
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
    const utrn = createUtrn({ supplierId: SUPPLIER, deviceId: DEVICE, counter: block(7), pence: 1_000 });
    expect(verifyUtrn(utrn, SUPPLIER, DEVICE, 0n)).toEqual({
      status: 'accepted',
      counter: block(7),
      pence: 1_000,
      valueClass: 'pennies',
    });
    expect(verifyUtrn(utrn, SUPPLIER, DEVICE, block(7))).toEqual({ status: 'duplicate', counter: block(7) });
    expect(verifyUtrn(utrn, SUPPLIER, DEVICE, block(9))).toEqual({ status: 'duplicate', counter: block(7) });
  });

  it('property: any of the last 1023 UTRNs replayed is a duplicate, never accepted', () => {
    let mark = 0n;
    const issued: string[] = [];
    for (let i = 1; i <= 60; i++) {
      const counter = block(i * 17 + (i % 5));
      const utrn = createUtrn({ supplierId: SUPPLIER, deviceId: DEVICE, counter, pence: 100 + i });
      const verdict = verifyUtrn(utrn, SUPPLIER, DEVICE, mark);
      expect(verdict.status).toBe('accepted');
      if (verdict.status === 'accepted') mark = verdict.counter;
      issued.push(utrn);
      for (const old of issued.slice(-5))
        expect(verifyUtrn(old, SUPPLIER, DEVICE, mark).status).toBe('duplicate');
    }
  });

  it('is not authentic for another supplier, another device, or altered digits', () => {
    const utrn = createUtrn({ supplierId: SUPPLIER, deviceId: DEVICE, counter: block(2), pence: 2_000 });
    expect(verifyUtrn(utrn, OTHER_SUPPLIER, DEVICE, 0n).status).toBe('not-authentic');
    expect(verifyUtrn(utrn, SUPPLIER, '00-DB-12-00-00-00-00-2B', 0n).status).toBe('not-authentic');
    // Change the amount but keep the tag and a valid check digit: the tag no longer matches.
    const fields = decodeUtrn(utrn)!;
    expect(verifyUtrn(encodeUtrn(fields.highWord + 1, fields.tag), SUPPLIER, DEVICE, 0n).status).toBe(
      'not-authentic',
    );
    const forged = createUtrn({
      supplierId: OTHER_SUPPLIER,
      deviceId: DEVICE,
      counter: block(2),
      pence: 8_000,
    });
    expect(verifyUtrn(forged, SUPPLIER, DEVICE, 0n).status).toBe('not-authentic');
    expect(verifyUtrn('12345678901234567890', SUPPLIER, DEVICE, 0n).status).toBe('not-authentic');
  });
});
