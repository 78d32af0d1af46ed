import { GrpcStatus, type Eui64 } from '@dcc/domain';
import { describe, expect, it } from 'vitest';
import { AlertCode } from './alerts.js';
import { MeterHarness } from './meter-harness.js';

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
    expect(h.meter.toState().tr).toEqual([NEW_SUPPLIER, 'K2']);
    expect(oldSupplier).not.toBe(NEW_SUPPLIER);
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
