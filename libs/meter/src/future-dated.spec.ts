import type { Eui64 } from '@dcc/domain';
import { describe, expect, it } from 'vitest';
import { AlertCode } from './alerts.js';
import { MeterHarness } from './meter-harness.js';
import { DAY_MS, HALF_HOUR_MS } from './time.js';

const id = '00-DB-12-00-00-00-00-2A' as Eui64;
const start = Date.UTC(2026, 2, 2, 9);
const HASH = 'ab'.repeat(32);
const codes = (alerts: { code: number }[]) => alerts.map((a) => a.code);
const threeRates = {
  switchingTable: [...Array(14).fill(3), ...Array(20).fill(1), ...Array(14).fill(2)],
  pricesPencePerKWh: [30, 25.5, 12.125],
  standingChargePencePerDay: 60,
};

describe('device future-dated commands', () => {
  it('1.1.1 is held until its execution time, then applies with 0x8F66 timed at that instant', () => {
    const h = new MeterHarness(id, 0, start);
    const executeAt = start + DAY_MS + 7 * HALF_HOUR_MS;
    const requestId = h.nextRequestId();
    const scheduled = h.meter.run({
      srv: '1.1.1',
      params: threeRates,
      requestId,
      signer: { supplierId: h.supplierId, keyId: h.keyId },
      executionTimeMs: executeAt,
    });
    expect(scheduled).toMatchObject({ outcome: 'scheduled', alerts: [] });
    expect(h.meter.nextWakeMs()).toBe(executeAt);

    h.clock.ms = executeAt - 1;
    expect(h.send('4.1.2').body!.touMatrixWh).toHaveLength(2);
    h.clock.ms = executeAt + 2 * DAY_MS;
    const read = h.send('4.1.1');
    expect(read.alerts).toEqual([{ code: AlertCode.FUTURE_DATED_EXECUTED, atMs: executeAt, requestId }]);
    const registers = read.body!;
    expect(registers.touActiveImportWh).toHaveLength(3);
    // Registers 1 and 2 kept their values at the switch; every register advanced only under the new table after it.
    const model = h.meter.model.consumption;
    expect(
      registers.touActiveImportWh[0]! + registers.touActiveImportWh[1]! + registers.touActiveImportWh[2]!,
    ).toBe(registers.totalActiveImportWh - model.initialWh);
    const [day, night] = model.touRegistersWh(executeAt);
    expect(
      registers.touActiveImportWh[0]! -
        day! +
        registers.touActiveImportWh[1]! -
        night! +
        registers.touActiveImportWh[2]!,
    ).toBe(model.totalImportWh(h.clock.ms) - model.totalImportWh(executeAt));
    expect(h.meter.nextWakeMs()).toBeUndefined();
  });

  it('2.1 executes on a credit-mode meter (0x8F66), as GBCS allows; its settings hold once 1.6 switches', () => {
    const h = new MeterHarness(id, 0, start);
    expect(h.send('2.1', { lowCreditThresholdPence: 500 }, { executionTimeMs: start + 60_000 }).outcome).toBe(
      'scheduled',
    );
    h.clock.advance(120_000);
    expect(h.meter.advance().alerts).toEqual([
      expect.objectContaining({ code: AlertCode.FUTURE_DATED_EXECUTED, atMs: start + 60_000 }),
    ]);
    expect(h.meter.inspect().paymentMode).toBe('credit');
    expect(h.meter.inspect().prepay.config?.lowCreditThresholdMp).toBe(500_000);
    h.send('1.5', { adjustPence: 400 });
    const switched = h.send('1.6', { mode: 'prepayment' });
    expect(switched.alerts.map((a) => a.code)).toContain(AlertCode.LOW_CREDIT);
  });

  it('runs in execution order: a future 1.6 to prepayment, then a later 2.1, both succeed', () => {
    const h = new MeterHarness(id, 0, start);
    h.send('1.5', { adjustPence: 5_000 });
    h.send('2.1', { emergencyCreditLimitPence: 750 }, { executionTimeMs: start + 2 * HALF_HOUR_MS });
    h.send('1.6', { mode: 'prepayment' }, { executionTimeMs: start + HALF_HOUR_MS });
    h.clock.advance(DAY_MS);
    const { alerts } = h.meter.advance();
    expect(alerts.map((a) => [a.code, a.atMs])).toEqual([
      [AlertCode.FUTURE_DATED_EXECUTED, start + HALF_HOUR_MS],
      [AlertCode.FUTURE_DATED_EXECUTED, start + 2 * HALF_HOUR_MS],
    ]);
    expect(h.send('2.1', { lowCreditThresholdPence: 100 }).body!.emergencyCreditLimitPence).toBe(750);
  });

  it('11.3: only an image the device holds; verified, activated at its time, alerts 0x8F72, 0x8F43, 0x8F66', () => {
    const h = new MeterHarness(id, 0, start);
    const unknown = h.send('11.3', { imageHash: HASH }, { executionTimeMs: start + DAY_MS });
    expect(unknown).toMatchObject({ outcome: 'rejected', rejection: { reason: 'UNKNOWN_FIRMWARE_IMAGE' } });
    expect(codes(unknown.alerts)).toEqual([AlertCode.FIRMWARE_VERIFICATION_FAILED]);
    expect(codes(h.meter.firmwareTransferred({ imageHash: HASH, version: '0203000a' }).alerts)).toEqual([
      AlertCode.FIRMWARE_TRANSFER_SUCCEEDED,
    ]);
    expect(h.send('11.2').body).toEqual({ version: '02010000', pendingImageVersion: '0203000A' });
    expect(
      h.send('11.3', { imageHash: HASH.toUpperCase() }, { executionTimeMs: start + DAY_MS }).outcome,
    ).toBe('scheduled');
    h.clock.advance(DAY_MS);
    const read = h.send('11.2');
    expect(codes(read.alerts)).toEqual([
      AlertCode.FIRMWARE_VERIFIED,
      AlertCode.RUNNING_FIRMWARE_CHANGED,
      AlertCode.FUTURE_DATED_EXECUTED,
    ]);
    expect(read.body).toEqual({ version: '0203000A', pendingImageVersion: null });
  });

  it('11.3 fails at its time (0x8F1C, 0x8F67) when the image was replaced meanwhile', () => {
    const h = new MeterHarness(id, 0, start);
    h.meter.firmwareTransferred({ imageHash: HASH, version: '02030000' });
    h.send('11.3', { imageHash: HASH }, { executionTimeMs: start + DAY_MS });
    h.meter.firmwareTransferred({ imageHash: 'cd'.repeat(32), version: '02040000' });
    h.clock.advance(2 * DAY_MS);
    expect(codes(h.meter.advance().alerts)).toEqual([
      AlertCode.FIRMWARE_VERIFICATION_FAILED,
      AlertCode.FUTURE_DATED_FAILED,
    ]);
    expect(h.send('11.2').body!.version).toBe('02010000');
  });

  it('11.3 now (no execution time) activates at once, without a future-dated alert', () => {
    const h = new MeterHarness(id, 0, start);
    h.meter.firmwareTransferred({ imageHash: HASH, version: '02030000' });
    expect(codes(h.send('11.3', { imageHash: HASH }).alerts)).toEqual([
      AlertCode.FIRMWARE_VERIFIED,
      AlertCode.RUNNING_FIRMWARE_CHANGED,
    ]);
  });

  it('an execution time in the year 3000 cancels the pending command; a newer one replaces it', () => {
    const h = new MeterHarness(id, 0, start);
    const cancelAt = Date.UTC(3000, 0, 1);
    expect(h.send('1.6', { mode: 'prepayment' }, { executionTimeMs: cancelAt }).rejection?.reason).toBe(
      'NOTHING_TO_CANCEL',
    );
    h.send('1.6', { mode: 'prepayment' }, { executionTimeMs: start + 1_000 });
    h.send('1.6', { mode: 'prepayment' }, { executionTimeMs: start + 5_000 });
    expect(h.meter.inspect().pending).toHaveLength(1);
    expect(h.send('1.6', { mode: 'prepayment' }, { executionTimeMs: cancelAt }).outcome).toBe('cancelled');
    h.clock.advance(DAY_MS);
    expect(h.meter.advance().alerts).toEqual([]);
    expect(h.send('4.3').body!.paymentMode).toBe('credit');
  });

  it('an execution time already past executes now, as an ordinary command', () => {
    const h = new MeterHarness(id, 0, start);
    const result = h.send('1.6', { mode: 'prepayment' }, { executionTimeMs: start - 1 });
    expect(result.outcome).toBe('executed');
    expect(codes(result.alerts)).not.toContain(AlertCode.FUTURE_DATED_EXECUTED);
  });

  it('execution times are meter-clock times: a meter clock ahead executes earlier in hub time', () => {
    const h = new MeterHarness(id, 0, start);
    h.send('6.11', { timeMs: start + HALF_HOUR_MS, toleranceS: 1_800 });
    h.send('1.5', { adjustPence: 5_000 });
    h.send('1.6', { mode: 'prepayment' }, { executionTimeMs: start + 2 * HALF_HOUR_MS });
    expect(h.meter.nextWakeMs()).toBe(start + HALF_HOUR_MS);
    h.clock.ms = start + HALF_HOUR_MS;
    expect(h.meter.advance().alerts).toEqual([
      expect.objectContaining({ code: AlertCode.FUTURE_DATED_EXECUTED, atMs: start + 2 * HALF_HOUR_MS }),
    ]);
  });

  it('a command due during a power outage executes when power returns', () => {
    const h = new MeterHarness(id, 0, start);
    h.send('1.6', { mode: 'prepayment' }, { executionTimeMs: start + HALF_HOUR_MS });
    h.send('1.5', { adjustPence: 1_000 });
    h.clock.advance(1_000);
    h.meter.powerOutage(start + 1_000);
    h.clock.advance(DAY_MS);
    expect(h.meter.advance().alerts).toEqual([]);
    const restored = h.meter.powerRestored(h.clock.ms);
    expect(restored.alerts.map((a) => [a.code, a.atMs])).toEqual([
      [AlertCode.FUTURE_DATED_EXECUTED, h.clock.ms],
      [AlertCode.SUPPLY_RESTORED_AFTER_LONG_OUTAGE, h.clock.ms],
    ]);
  });

  it('pending commands survive passivation', () => {
    const h = new MeterHarness(id, 0, start);
    h.send('1.1.1', threeRates, { executionTimeMs: start + DAY_MS });
    h.reload();
    h.clock.advance(DAY_MS);
    expect(codes(h.meter.advance().alerts)).toEqual([AlertCode.FUTURE_DATED_EXECUTED]);
    expect(h.send('4.1.2').body!.touMatrixWh).toHaveLength(3);
  });
});
