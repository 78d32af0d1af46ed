import type { Eui64 } from '@dcc/domain';
import { describe, expect, it } from 'vitest';
import type { DeviceResult, SrvParamMap, SupportedSrv } from './commands/types.js';
import { MAX_ORIGINATORS } from './request-counters.js';
import { DEVICE_LOG_ENTRIES } from './device-logs.js';
import { MeterHarness } from './meter-harness.js';
import { MAX_OFF_INTERVALS } from './metering.js';
import { PREPAY_LOG_ENTRIES } from './prepay-logs.js';
import { decodeState, encodeState } from './state-codec.js';
import { DAY_MS, HALF_HOUR_MS } from './time.js';

const id = '00-DB-12-00-00-00-00-2A' as Eui64;
const start = Date.UTC(2026, 2, 2, 9);
const HASH = 'ef'.repeat(32);

function random(seed: number): () => number {
  let x = seed || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

type Step =
  { srv: SupportedSrv; params?: unknown; executionTimeMs?: number } | { event: string; arg?: number };

/** A random but valid-looking step: commands across the SRVs, future-dated ones, and spontaneous events. */
function step(next: () => number, now: number): Step {
  const pick = <T>(items: T[]) => items[Math.floor(next() * items.length)]!;
  const soon = now + Math.floor(next() * 2 * DAY_MS);
  const choices: (() => Step)[] = [
    () => ({ srv: '4.1.1' }),
    () => ({ srv: '4.3' }),
    () => ({ srv: '1.5', params: { adjustPence: Math.round(next() * 3_000) - 500 } }),
    () => ({ srv: '1.6', params: { mode: pick(['credit', 'prepayment']) } }),
    () => ({ srv: '1.6', params: { mode: 'prepayment' }, executionTimeMs: soon }),
    () => ({
      srv: '2.1',
      params: { emergencyCreditLimitPence: Math.round(next() * 2_000), lowCreditThresholdPence: 250 },
    }),
    () => ({ srv: '2.1', params: { disablementThresholdPence: -50 }, executionTimeMs: soon }),
    () => ({ srv: '2.2', params: { utrn: '' } }),
    () => ({
      srv: '2.3',
      params: {
        timeDebt1Pence: 400,
        timeDebt1RecoveryPencePerDay: 25,
        paymentDebtPence: 90,
        paymentDebtRecoveryPercent: 20,
      },
    }),
    () => ({ srv: '2.5' }),
    () => ({ srv: '3.1', params: { message: `msg ${Math.floor(next() * 1e6)}` } }),
    () => ({ srv: '3.2', params: { restrictionDateTimeMs: now - Math.floor(next() * 10 * DAY_MS) } }),
    () => ({ srv: '4.8.1', params: { startMs: now - 3 * DAY_MS, endMs: now } }),
    () => ({ srv: '4.6.1', params: { startMs: now - 9 * DAY_MS, endMs: now } }),
    () => ({ srv: '4.17', params: { startMs: now - 9 * DAY_MS, endMs: now } }),
    () => ({
      srv: '1.1.1',
      params: {
        switchingTable: Array.from({ length: 48 }, (_, i) => 1 + ((i >> 3) % 3)),
        pricesPencePerKWh: [20, 30.5, 10.25],
        standingChargePencePerDay: 45,
      },
      executionTimeMs: next() < 0.5 ? soon : undefined,
    }),
    () => ({ srv: pick(['7.1', '7.2', '7.3', '7.4'] as const) }),
    () => ({ srv: '6.4.1', params: { thresholdW: 400 + Math.floor(next() * 600) } }),
    () => ({ srv: '6.5', params: { averageOverV: 250 + Math.floor(next() * 10) } }),
    () => ({
      srv: '6.11',
      params: { timeMs: now + Math.floor(next() * 120_000) - 60_000, toleranceS: 3_600 },
    }),
    () => ({
      srv: '6.22',
      params: {
        [pick(['disable', 'hanAlertDisable', 'alarmDisable', 'eventLogDisable'])]: [
          0x8002 + Math.floor(next() * 4),
        ],
      },
    }),
    () => ({ srv: '11.3', params: { imageHash: HASH }, executionTimeMs: next() < 0.5 ? soon : undefined }),
    () => ({ event: 'outage' }),
    () => ({ event: 'restore' }),
    () => ({ event: 'button' }),
    () => ({ event: 'firmware' }),
    () => ({ event: 'voltage', arg: 150 + Math.floor(next() * 160) }),
  ];
  return pick(choices)();
}

function apply(h: MeterHarness, s: Step): unknown {
  try {
    if ('event' in s) {
      const m = h.meter;
      switch (s.event) {
        case 'outage':
          return m.powerOutage();
        case 'restore':
          return m.powerRestored();
        case 'button':
          return m.consumerEnableSupply();
        case 'firmware':
          return m.firmwareTransferred({ imageHash: HASH, version: '02050000' });
        default:
          return m.voltageExcursion({ fromMs: h.clock.ms - 120_000, toMs: h.clock.ms, rmsVoltageV: s.arg! });
      }
    }
    const params = s.srv === '2.2' ? { utrn: h.utrn(50 + (h.clock.ms % 3_000)) } : s.params;
    return h.send(s.srv, params as SrvParamMap[typeof s.srv], {
      executionTimeMs: s.executionTimeMs,
    }) as DeviceResult;
  } catch (error) {
    return { error: String(error) };
  }
}

describe('toState / fromState', () => {
  it('a meter that only answered reads stores {"v":1}', () => {
    const h = new MeterHarness(id, 0, start);
    h.send('4.1.1', undefined, { anonymous: true });
    h.send('4.8.1', { startMs: start - DAY_MS, endMs: start }, { anonymous: true });
    expect(h.meter.toState()).toEqual({ v: 1 });
    expect(h.meter.toBytes().byteLength).toBe(7);
  });

  it('property: a meter passivated and re-activated between every step behaves exactly like one that never was', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const next = random(seed);
      const steady = new MeterHarness(id, seed, start, { hasExport: seed % 2 === 0 });
      const reloaded = new MeterHarness(id, seed, start, { hasExport: seed % 2 === 0 });
      for (let i = 0; i < 60; i++) {
        const advance = Math.floor(next() * (next() < 0.2 ? 3 * DAY_MS : 4 * HALF_HOUR_MS));
        steady.clock.advance(advance);
        reloaded.clock.advance(advance);
        const s = step(next, steady.clock.ms);
        reloaded.reload();
        expect(apply(reloaded, s)).toEqual(apply(steady, s));
        expect(reloaded.meter.toState()).toEqual(steady.meter.toState());
      }
      expect(reloaded.meter.inspect()).toEqual(steady.meter.inspect());
      expect(decodeState(encodeState(steady.meter.inspect(), true), true)).toEqual(steady.meter.inspect());
    }
  });

  it('stays small: typical meters about 100 bytes, the worst case bounded', () => {
    const sizes: Record<string, number> = {};

    // RequestID counters as DCC Boxed's signing tool makes them: epoch milliseconds.
    const credit = new MeterHarness(id, 0, start);
    credit.send('4.1.1', undefined, { counter: BigInt(credit.clock.ms) });
    credit.send(
      '4.8.1',
      { startMs: start - DAY_MS, endMs: start },
      { counter: BigInt(credit.clock.ms), originator: '90-B3-D5-1F-30-02-00-00' },
    );
    sizes['credit meter, reads from supplier and DNO'] = credit.reload().byteLength;

    const prepay = new MeterHarness(id, 0, start);
    prepay.send('2.2', { utrn: prepay.utrn(2_000) }, { counter: BigInt(prepay.clock.ms) });
    prepay.send('1.6', { mode: 'prepayment' }, { counter: BigInt(prepay.clock.ms + 1) });
    prepay.clock.advance(DAY_MS);
    prepay.send('4.18', undefined, { counter: BigInt(prepay.clock.ms) });
    sizes['prepayment meter after a top-up'] = prepay.reload().byteLength;

    const tariff = new MeterHarness(id, 0, start);
    tariff.send(
      '1.1.1',
      {
        switchingTable: Array.from({ length: 48 }, (_, i) => (i < 14 ? 2 : i < 32 ? 1 : 3)),
        pricesPencePerKWh: [24.86, 12.5, 31.2],
        standingChargePencePerDay: 53.35,
      },
      { counter: BigInt(tariff.clock.ms) },
    );
    sizes['credit meter with its own 3-rate tariff'] = tariff.reload().byteLength;

    const worst = new MeterHarness(id, 0, start, { hasExport: true });
    worst.supplierId = '90-B3-D5-1F-30-01-00-00';
    for (let i = 0; i < MAX_ORIGINATORS + 2; i++) {
      worst.send('7.4', undefined, {
        originator: `90-B3-D5-1F-30-0${i % 10}-00-0${i}`,
        counter: 18_446_744_073_709_551_000n + BigInt(i),
      });
    }
    worst.send('1.5', { adjustPence: -123_456.789 });
    worst.send('1.1.1', {
      switchingTable: Array.from({ length: 48 }, (_, i) => 1 + (i % 8)),
      pricesPencePerKWh: [31.111, 32.222, 33.333, 34.444, 35.555, 36.666, 37.777, 38.888],
      standingChargePencePerDay: 61.234,
    });
    for (let i = 0; i < MAX_OFF_INTERVALS + 1; i++) {
      worst.clock.advance(3 * HALF_HOUR_MS + 12_345);
      worst.send('7.2');
      worst.clock.advance(HALF_HOUR_MS + 54_321);
      worst.send('7.3');
    }
    worst.send('1.6', { mode: 'prepayment' });
    worst.send('2.1', {
      debtRecoveryCapPencePerDay: 123.456,
      emergencyCreditLimitPence: 1_234.567,
      emergencyCreditThresholdPence: 234.567,
      lowCreditThresholdPence: 345.678,
      maxMeterBalancePence: 98_765.432,
      maxCreditThresholdPence: 87_654.321,
      disablementThresholdPence: -12.345,
    });
    worst.send('2.3', {
      timeDebt1Pence: 12_345.678,
      timeDebt2Pence: 23_456.789,
      paymentDebtPence: 34_567.891,
      timeDebt1RecoveryPencePerDay: 123.456,
      timeDebt2RecoveryPencePerDay: 234.567,
      paymentDebtRecoveryPercent: 33.3,
    });
    // Full prepayment logs (4.14, 4.4.4, 4.4.5): more top-ups, each paying debt, and more midnights than kept.
    for (let i = 0; i < PREPAY_LOG_ENTRIES + 1; i++) {
      worst.send('2.2', { utrn: worst.utrn(123) });
      worst.clock.advance(DAY_MS + 1_234);
    }
    expect(worst.meter.inspect().prepay.logs?.credits).toHaveLength(PREPAY_LOG_ENTRIES);
    expect(worst.meter.inspect().prepay.logs?.debtPayments).toHaveLength(PREPAY_LOG_ENTRIES);
    expect(worst.meter.inspect().prepay.logs?.daily).toHaveLength(PREPAY_LOG_ENTRIES);
    worst.send('2.2', { utrn: worst.utrn(100, (1n << 64n) - (1n << 32n)) });
    worst.send('3.1', { message: 'M'.repeat(160) });
    worst.send('3.2', { restrictionDateTimeMs: start + 123_456_789 });
    worst.send('6.4.1', { thresholdW: 987_654 });
    worst.send('6.5', {
      averageOverV: 263.5,
      averageUnderV: 201.5,
      sagV: 215.5,
      swellV: 252.5,
      averagePeriodS: 3_599,
    });
    worst.send('6.11', { timeMs: worst.clock.ms - 987_654_321, toleranceS: 987_655 });
    worst.send('6.22', { disable: Array.from({ length: 64 }, (_, i) => 0x8000 + i) });
    worst.meter.voltageExcursion({
      fromMs: worst.clock.ms - 100_000,
      toMs: worst.clock.ms,
      rmsVoltageV: 300,
    });
    worst.meter.firmwareTransferred({ imageHash: HASH, version: 'ABCDEF01' });
    worst.send('6.23', {
      supplierId: '90-B3-D5-1F-30-01-00-00',
      signingKeyId: 'K'.repeat(64),
      topUpFloor: '18446744073709551615',
    });
    worst.keyId = 'K'.repeat(64);
    const later = worst.clock.ms + 400 * DAY_MS;
    worst.send(
      '1.1.1',
      {
        switchingTable: Array.from({ length: 48 }, (_, i) => 8 - (i % 8)),
        pricesPencePerKWh: [41.111, 42.222, 43.333, 44.444, 45.555, 46.666, 47.777, 48.888],
        standingChargePencePerDay: 71.234,
      },
      { executionTimeMs: later },
    );
    worst.send('1.6', { mode: 'credit' }, { executionTimeMs: later + 1 });
    worst.send(
      '2.1',
      { emergencyCreditLimitPence: 999.999, lowCreditThresholdPence: 333.333 },
      { executionTimeMs: later + 2 },
    );
    worst.send('6.4.1', { thresholdW: 123_456 }, { executionTimeMs: later + 3 });
    worst.send('11.3', { imageHash: HASH }, { executionTimeMs: later + 4 });
    worst.send(
      '6.23',
      {
        supplierId: '90-B3-D5-1F-30-0F-00-00',
        signingKeyId: 'Z'.repeat(64),
        topUpFloor: '18446744073709551615',
      },
      { executionTimeMs: later + 5 },
    );
    worst.send('7.4', undefined, { counter: 18_446_744_073_709_551_615n });
    worst.send('7.4', undefined, {
      counter: 18_446_744_073_709_551_615n,
      originator: '90-B3-D5-1F-30-0F-00-00',
    });
    expect(worst.meter.inspect().requestCounters).toHaveLength(MAX_ORIGINATORS);
    expect(worst.meter.inspect().pending).toHaveLength(6);
    // Full device logs (6.13): the power event log and, with the voltage events, the event log.
    for (let i = 0; i <= DEVICE_LOG_ENTRIES / 2; i++) {
      worst.clock.advance(10 * 60_000);
      worst.meter.powerOutage(worst.clock.ms - 5 * 60_000);
      worst.meter.powerRestored(worst.clock.ms - 4 * 60_000);
      const excursion = { fromMs: worst.clock.ms - 60_000, toMs: worst.clock.ms - 1_000, rmsVoltageV: 300 };
      worst.meter.voltageExcursion(excursion);
    }
    expect(worst.meter.inspect().deviceLogs?.power).toHaveLength(DEVICE_LOG_ENTRIES);
    expect(worst.meter.inspect().deviceLogs?.event).toHaveLength(DEVICE_LOG_ENTRIES);
    sizes['worst case (every bound reached)'] = worst.reload().byteLength;

    console.log('meter state sizes (bytes):', sizes);
    expect(sizes['credit meter, reads from supplier and DNO']).toBeLessThan(100);
    // It keeps its first prepayment log entries (the top-up's credit and a midnight) and the billing data the
    // change of mode captured (4.4.2).
    expect(sizes['prepayment meter after a top-up']).toBeLessThan(240);
    // ... and the billing data its change of tariff captured (4.4.2).
    expect(sizes['credit meter with its own 3-rate tariff']).toBeLessThan(240);
    // The worst case holds a supplier's top-up KA key from a 6.23 (124 characters of base64 SPKI).
    // ... and 31 entries in each of its three prepayment logs, 100 in its event and power event logs.
    expect(sizes['worst case (every bound reached)']).toBeLessThan(12_000);
  });
});
