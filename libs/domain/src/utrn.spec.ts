import {
  createECDH,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { gbcsCheckDigitValid } from './gbcs-check-digit.js';
import { decodeUtrn, encodeUtrn, PPTD_OFFSET, utrnHighWord, type UtrnValueClass } from './utrn-format.js';
import { buildUtrn, utrnAuthenticator } from './utrn-tag.js';

/** A P-256 key pair from a fixed private scalar (hex), so the vectors below are reproducible. */
function fixedPair(scalarHex: string): { privateKey: KeyObject; publicKey: KeyObject } {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(Buffer.from(scalarHex, 'hex'));
  const point = ecdh.getPublicKey();
  const jwk = {
    kty: 'EC',
    crv: 'P-256',
    x: point.subarray(1, 33).toString('base64url'),
    y: point.subarray(33).toString('base64url'),
  };
  const d = Buffer.from(scalarHex, 'hex').toString('base64url');
  return {
    privateKey: createPrivateKey({ key: { ...jwk, d }, format: 'jwk' }),
    publicKey: createPublicKey({ key: jwk, format: 'jwk' }),
  };
}

const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
const DEVICE = '00-DB-12-34-56-78-90-A0';
const supplierKa = fixedPair('11'.repeat(32));
const deviceKa = fixedPair('22'.repeat(32));
const issuer = utrnAuthenticator(supplierKa.privateKey, deviceKa.publicKey);
const meter = utrnAuthenticator(deviceKa.privateKey, supplierKa.publicKey);
const block = (n: bigint) => n << 32n;

/*
 * Known answers. Supplier prepayment KA private scalar 0x11…11 (32 bytes), device KA private scalar 0x22…22,
 * originator 90-B3-D5-1F-30-01-00-00, target 00-DB-12-34-56-78-90-A0. Computed once with this module and
 * recomputed independently with Python's pyca/cryptography 48 (ECDH, SHA-256, AES-GCM) from the byte layouts
 * of DCC-REFERENCE §4.1 (the script is in docs/utrn.md); both gave these digits.
 */
const VECTORS: { counter: bigint; valueClass: UtrnValueClass; value: number; utrn: string }[] = [
  { counter: block(1n), valueClass: 'pennies', value: 1_000, utrn: '73943020270817209232' },
  { counter: block(1_029n), valueClass: 'pounds', value: 25, utrn: '73948959727004208136' },
  { counter: block(0x0123_4567n), valueClass: 'pennies', value: 8_191, utrn: '74447169318961263248' },
];

describe('UTRN (GBCS format and tag)', () => {
  it("reads DCC's published SRV 2.2 sample", () => {
    const fields = decodeUtrn('73946144332040217315')!;
    expect(fields).toMatchObject({ counterBits: 3, valueClass: 'pounds', value: 10 }); // £10, counter block 3
    expect(encodeUtrn(fields.highWord, fields.tag)).toBe('73946144332040217315');
  });

  it('builds the known-answer vectors, from the supplier side and from the device side', () => {
    for (const v of VECTORS) {
      const issue = { originator: SUPPLIER, target: DEVICE, ...v };
      expect(buildUtrn(issuer, issue)).toBe(v.utrn);
      expect(buildUtrn(meter, issue)).toBe(v.utrn);
      const fields = decodeUtrn(v.utrn)!;
      expect(fields).toMatchObject({
        counterBits: Number((v.counter >> 32n) & 0x3ffn),
        valueClass: v.valueClass,
        value: v.value,
      });
      expect(meter.tag(SUPPLIER, DEVICE, v.counter, fields.highWord)).toBe(fields.tag);
    }
  });

  it('round-trips build → parse for counters and values across their ranges', () => {
    for (let i = 1; i <= 60; i++) {
      const counter = block(BigInt(i * 977));
      const valueClass: UtrnValueClass = i % 2 ? 'pennies' : 'pounds';
      const value = (i * 137) % 8_192;
      const utrn = buildUtrn(issuer, { originator: SUPPLIER, target: DEVICE, counter, valueClass, value });
      expect(utrn).toMatch(/^[0-9]{20}$/);
      expect(gbcsCheckDigitValid(utrn)).toBe(true);
      const fields = decodeUtrn(utrn)!;
      expect(fields).toMatchObject({ counterBits: (i * 977) % 1_024, valueClass, value });
      expect(fields.highWord).toBe(utrnHighWord({ counter, valueClass, value }));
      expect(fields.tag).toBe(meter.tag(SUPPLIER, DEVICE, counter, fields.highWord));
    }
  });

  it('any single-digit change fails the check digit', () => {
    const utrn = VECTORS[0]!.utrn;
    for (let i = 0; i < 20; i++) {
      for (let d = 1; d <= 9; d++) {
        const changed = utrn.slice(0, i) + String((Number(utrn[i]) + d) % 10) + utrn.slice(i + 1);
        expect(decodeUtrn(changed)).toBeUndefined();
      }
    }
  });

  it('any change of counter, value, class, originator, target or keys changes the tag', () => {
    const v = VECTORS[1]!;
    const { tag, highWord } = decodeUtrn(v.utrn)!;
    const other = fixedPair('33'.repeat(32));
    const fresh = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const variants = [
      meter.tag(SUPPLIER, DEVICE, v.counter + block(1n), highWord),
      meter.tag(SUPPLIER, DEVICE, v.counter + block(1_024n), highWord), // same 10 counter bits
      meter.tag(SUPPLIER, DEVICE, v.counter, utrnHighWord({ ...v, value: v.value + 1 })),
      meter.tag(SUPPLIER, DEVICE, v.counter, utrnHighWord({ ...v, valueClass: 'pennies' })),
      meter.tag('90-B3-D5-1F-30-01-00-01', DEVICE, v.counter, highWord),
      meter.tag(SUPPLIER, '00-DB-12-34-56-78-90-A1', v.counter, highWord),
      utrnAuthenticator(other.privateKey, deviceKa.publicKey).tag(SUPPLIER, DEVICE, v.counter, highWord),
      utrnAuthenticator(deviceKa.privateKey, other.publicKey).tag(SUPPLIER, DEVICE, v.counter, highWord),
      utrnAuthenticator(fresh.privateKey, deviceKa.publicKey).tag(SUPPLIER, DEVICE, v.counter, highWord),
    ];
    for (const changed of variants) expect(changed).not.toBe(tag);
  });

  it('refuses counters and values GBCS does not allow, and keys that are not P-256 KA keys', () => {
    const issue = { originator: SUPPLIER, target: DEVICE, valueClass: 'pennies' as const, value: 1 };
    expect(() => buildUtrn(issuer, { ...issue, counter: 5n })).toThrow(/low 32 bits zero/);
    expect(() => buildUtrn(issuer, { ...issue, counter: 0n })).toThrow(/positive/);
    expect(() => buildUtrn(issuer, { ...issue, counter: 1n << 64n })).toThrow(/64-bit/);
    expect(() => buildUtrn(issuer, { ...issue, counter: block(1n), value: 8_192 })).toThrow(/0\.\.8191/);
    expect(() => buildUtrn(issuer, { ...issue, counter: block(1n), value: 1.5 })).toThrow(/whole number/);
    expect(() => buildUtrn(issuer, { ...issue, counter: block(1n), target: 'not-an-eui' })).toThrow();
    const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
    expect(() => utrnAuthenticator(p384.privateKey, deviceKa.publicKey)).toThrow(/P-256/);
    expect(() => utrnAuthenticator(supplierKa.publicKey, deviceKa.publicKey)).toThrow(/one private/);
  });

  it('decodes only the fixed structure: offset, zero bits and a known value class', () => {
    expect(decodeUtrn('00000000000000000000')).toBeUndefined();
    expect(decodeUtrn(encodeUtrn((2 << 13) | 5, 0))).toBeUndefined(); // value class 10 is not defined
    const below = (PPTD_OFFSET - 1n).toString();
    expect(decodeUtrn(below + '0')).toBeUndefined();
    expect(decodeUtrn('7394614433204021731')).toBeUndefined();
  });
});
