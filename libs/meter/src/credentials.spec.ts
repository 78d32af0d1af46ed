import { credentialSwapPayload, GrpcStatus, kaPublicKeyText, type Eui64 } from '@dcc/domain';
import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AlertCode } from './alerts.js';
import { MeterHarness } from './meter-harness.js';
import { createUtrn } from './utrn.js';

const id = '00-DB-12-00-00-00-00-2A' as Eui64;
const start = Date.UTC(2026, 2, 2, 9);
const NEW_SUPPLIER = '90-B3-D5-1F-30-05-00-00';
const block = (n: number) => BigInt(n) << 32n;

function status(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (error) {
    return (error as { status: number }).status;
  }
  return undefined;
}

describe('6.23 change of supplier credentials', () => {
  it('after it, the old supplier’s critical commands and UTRNs are refused, the new supplier’s accepted', () => {
    const h = new MeterHarness(id, 0, start);
    h.send('1.5', { adjustPence: 1_000 });
    h.send('1.6', { mode: 'prepayment' });
    const oldUtrn = h.utrn(500);
    const cos = h.send(
      '6.23',
      { supplierId: NEW_SUPPLIER, signingKeyId: 'K2', topUpFloor: block(40).toString() },
      { signer: null },
    );
    expect(cos.body).toEqual({
      supplierId: NEW_SUPPLIER,
      signingKeyId: 'K2',
      topUpFloor: block(40).toString(),
      supplierFloor: '0',
    });

    expect(status(() => h.send('7.2'))).toBe(GrpcStatus.PERMISSION_DENIED);
    expect(h.send('2.2', { utrn: oldUtrn }).rejection?.reason).toBe('UTRN_NOT_AUTHENTIC');

    const oldSupplier = h.supplierId;
    h.supplierId = NEW_SUPPLIER;
    h.keyId = 'K2';
    expect(h.send('7.2').outcome).toBe('executed');
    // Counters at or below the floor are refused; above it accepted.
    expect(h.send('2.2', { utrn: h.utrn(300, block(40)) }).rejection?.reason).toBe('UTRN_DUPLICATE');
    expect(h.send('2.2', { utrn: h.utrn(300, block(41)) }).body!.creditedPence).toBe(300);
    expect(h.send('2.2', { utrn: h.utrn(300, block(41)) }).alerts[0]!.code).toBe(AlertCode.UTRN_DUPLICATE);
    const newTopUpKey = kaPublicKeyText(h.topUpKeyPair(NEW_SUPPLIER).publicKey);
    expect(h.meter.toState().tr).toEqual([NEW_SUPPLIER, 'K2', newTopUpKey]);
    expect(oldSupplier).not.toBe(NEW_SUPPLIER);
  });

  it('installs the gaining supplier’s top-up key: a UTRN in the new supplier’s name made with any other key is refused', () => {
    const h = new MeterHarness(id, 0, start);
    h.send('6.23', { supplierId: NEW_SUPPLIER, signingKeyId: 'K2', topUpFloor: '0' }, { signer: null });
    // The old supplier's key, used with the new supplier's id and a fresh counter: not authentic.
    const forged = createUtrn({
      supplierId: NEW_SUPPLIER,
      deviceId: id,
      supplierTopUpKey: h.topUpKeyPair(h.supplierId).privateKey,
      devicePublicKey: h.kaKeys.keyPair(id).publicKey,
      counter: block(1),
      pence: 500,
    });
    const result = h.send('2.2', { utrn: forged });
    expect(result.rejection?.reason).toBe('UTRN_NOT_AUTHENTIC');
    expect(result.alerts.map((a) => a.code)).toEqual([AlertCode.UTRN_NOT_AUTHENTIC]);
    expect(h.send('2.2', { utrn: h.utrn(500, block(1), NEW_SUPPLIER) }).body!.creditedPence).toBe(500);
  });

  it('a swap without the gaining supplier’s top-up key, or with a key that is not EC P-256, is refused', () => {
    const h = new MeterHarness(id, 0, start);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
    const rsaText = rsa.export({ type: 'spki', format: 'der' }).toString('base64');
    const params = { supplierId: NEW_SUPPLIER, signingKeyId: 'K2', topUpFloor: '0' };
    expect(status(() => h.send('6.23', { ...params, topUpKey: rsaText }))).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(status(() => h.send('6.23', { ...params, topUpKey: '' }))).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(h.meter.inspect().trust).toBeNull();
  });

  it('the same supplier cannot lower its own top-up floor', () => {
    const h = new MeterHarness(id, 0, start);
    h.send('2.2', { utrn: h.utrn(100, block(90)) });
    const again = h.send('6.23', { supplierId: h.supplierId, signingKeyId: 'K9', topUpFloor: '0' });
    expect(again.body!.topUpFloor).toBe(block(90).toString());
    expect(h.send('2.2', { utrn: h.utrn(100, block(90)) }).rejection?.reason).toBe('UTRN_DUPLICATE');
  });

  it('can be future-dated on the device (DSP+Device) and takes effect at its time', () => {
    const h = new MeterHarness(id, 0, start);
    const params = { supplierId: NEW_SUPPLIER, signingKeyId: 'K2', topUpFloor: '0' };
    expect(h.send('6.23', params, { executionTimeMs: start + 60_000 }).outcome).toBe('scheduled');
    expect(h.send('7.2').outcome).toBe('executed');
    h.clock.advance(120_000);
    expect(status(() => h.send('7.3'))).toBe(GrpcStatus.PERMISSION_DENIED);
  });

  it('validates its parameters', () => {
    const h = new MeterHarness(id, 0, start);
    expect(status(() => h.send('6.23', { supplierId: 'nope', signingKeyId: 'K', topUpFloor: '1' }))).toBe(
      GrpcStatus.INVALID_ARGUMENT,
    );
    expect(
      status(() => h.send('6.23', { supplierId: NEW_SUPPLIER, signingKeyId: 'K', topUpFloor: '-1' })),
    ).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(
      status(() =>
        h.send('6.23', { supplierId: NEW_SUPPLIER, signingKeyId: 'K', topUpFloor: (1n << 64n).toString() }),
      ),
    ).toBe(GrpcStatus.INVALID_ARGUMENT);
  });
});

describe('6.23 needs the CoS party’s signature', () => {
  const swap = { supplierId: NEW_SUPPLIER, signingKeyId: 'K2', topUpFloor: '0' };
  const trust = (h: MeterHarness) => h.meter.inspect().trust;
  const stranger = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;

  it('unsigned: PERMISSION_DENIED, and the meter keeps its supplier', () => {
    const h = new MeterHarness(id, 0, start);
    expect(status(() => h.send('6.23', swap, { cosKey: null }))).toBe(GrpcStatus.PERMISSION_DENIED);
    expect(trust(h)).toBeNull();
    expect(h.send('7.2').outcome).toBe('executed'); // the original supplier still commands it
  });

  it('signed by another key than the CoS party’s: PERMISSION_DENIED', () => {
    const h = new MeterHarness(id, 0, start);
    expect(status(() => h.send('6.23', swap, { cosKey: stranger }))).toBe(GrpcStatus.PERMISSION_DENIED);
    expect(trust(h)).toBeNull();
  });

  it('a CoS signature for other credentials, another meter or another request does not carry over', () => {
    const h = new MeterHarness(id, 0, start);
    const signed = (over: Partial<{ deviceId: string; requestId: string; supplierId: string }>) =>
      sign(
        'sha256',
        credentialSwapPayload({
          deviceId: over.deviceId ?? id,
          requestId: over.requestId ?? `${h.supplierId}:${id}:5000`,
          supplierId: over.supplierId ?? NEW_SUPPLIER,
          keyId: 'K2',
          topUpFloor: '0',
          topUpKey: kaPublicKeyText(h.topUpKeyPair(NEW_SUPPLIER).publicKey),
          supplierFloor: '0',
          validity: '',
        }),
        { key: h.cosPartyKey, dsaEncoding: 'der' },
      ).toString('base64');
    const send = (cosSignature: string) =>
      status(() => h.send('6.23', { ...swap, cosSignature }, { counter: 5_000n }));
    expect(send(signed({ supplierId: '90-B3-D5-1F-30-06-00-00' }))).toBe(GrpcStatus.PERMISSION_DENIED);
    expect(send(signed({ deviceId: '00-DB-12-00-00-00-00-2B' }))).toBe(GrpcStatus.PERMISSION_DENIED);
    expect(send(signed({ requestId: `${h.supplierId}:${id}:4999` }))).toBe(GrpcStatus.PERMISSION_DENIED);
    expect(trust(h)).toBeNull();
    // the same swap signed for exactly this request is installed
    expect(h.send('6.23', { ...swap, cosSignature: signed({}) }, { counter: 5_000n }).outcome).toBe(
      'executed',
    );
    const topUpKey = kaPublicKeyText(h.topUpKeyPair(NEW_SUPPLIER).publicKey);
    expect(trust(h)).toEqual({ supplierId: NEW_SUPPLIER, keyId: 'K2', topUpKey });
  });

  it('a meter configured without a CoS party key installs nothing', () => {
    const h = new MeterHarness(id, 0, start, { cosPartyPublicKey: undefined });
    expect(status(() => h.send('6.23', swap))).toBe(GrpcStatus.PERMISSION_DENIED);
    expect(trust(h)).toBeNull();
  });

  it('a future-dated swap without the signature is refused at receipt, not held', () => {
    const h = new MeterHarness(id, 0, start);
    expect(status(() => h.send('6.23', swap, { cosKey: null, executionTimeMs: start + 60_000 }))).toBe(
      GrpcStatus.PERMISSION_DENIED,
    );
    h.clock.advance(120_000);
    expect(h.send('7.2').outcome).toBe('executed');
    expect(trust(h)).toBeNull();
  });
});

describe('6.23 SupplierFloorSeqNumber and time-based certificate checks', () => {
  it('the gaining supplier’s commands need RequestID counters above its floor; a floor never lowers a mark', () => {
    const h = new MeterHarness(id, 0, start);
    const swap = { supplierId: NEW_SUPPLIER, signingKeyId: 'K2', topUpFloor: '0', supplierFloor: '9000' };
    expect(h.send('6.23', swap, { signer: null }).body!.supplierFloor).toBe('9000');
    h.supplierId = NEW_SUPPLIER;
    h.keyId = 'K2';
    expect(status(() => h.send('4.1.1', undefined, { counter: 9_000n }))).toBe(GrpcStatus.ALREADY_EXISTS);
    expect(h.send('4.1.1', undefined, { counter: 9_001n }).outcome).toBe('executed');
    // The same supplier again with a lower floor keeps the mark it has.
    const again = h.send('6.23', { ...swap, supplierFloor: '5' }, { counter: 9_002n, signer: null });
    expect(again.body!.supplierFloor).toBe('9002');
    expect(status(() => h.send('4.1.1', undefined, { counter: 9_002n }))).toBe(GrpcStatus.ALREADY_EXISTS);
  });

  it('refuses a floor that is not an unsigned 64-bit counter', () => {
    const h = new MeterHarness(id, 0, start);
    const swap = { supplierId: NEW_SUPPLIER, signingKeyId: 'K2', topUpFloor: '0' };
    expect(status(() => h.send('6.23', { ...swap, supplierFloor: '-1' }))).toBe(GrpcStatus.INVALID_ARGUMENT);
  });

  it('with time-based checks, refuses the swap when its clock is outside the certificates’ validity', () => {
    const h = new MeterHarness(id, 0, start);
    const swap = { supplierId: NEW_SUPPLIER, signingKeyId: 'K2', topUpFloor: '0' };
    const expired = h.send('6.23', { ...swap, validity: `0-${start - 1}` }, { signer: null });
    expect(expired.rejection?.reason).toBe('CERTIFICATE_NOT_VALID_NOW');
    expect(h.meter.toState().tr).toBeUndefined();
    const valid = h.send('6.23', { ...swap, validity: `${start}-${start + 1}` }, { signer: null });
    expect(valid.outcome).toBe('executed');
  });
});
