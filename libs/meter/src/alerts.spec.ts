import { GrpcStatus, type Eui64 } from '@dcc/domain';
import { describe, expect, it } from 'vitest';
import { AlertCode, alertCodeHex, isConfigurableAlert } from './alerts.js';
import { MeterHarness } from './meter-harness.js';

const id = '00-DB-12-00-00-00-00-2A' as Eui64;
const start = Date.UTC(2026, 2, 2, 9);

describe('spontaneous alerts', () => {
  it('power outage 0x8F57, restored 0x8F35 (short) or 0x8F36 (3 minutes or more), at the event times', () => {
    const h = new MeterHarness(id, 0, start);
    h.clock.advance(10 * 60_000);
    expect(h.meter.powerOutage(start + 60_000).alerts).toEqual([
      { code: AlertCode.SUPPLY_INTERRUPTED, atMs: start + 60_000 },
    ]);
    expect(h.meter.powerOutage().alerts).toEqual([]);
    expect(h.meter.powerRestored(start + 120_000).alerts).toEqual([
      { code: AlertCode.SUPPLY_RESTORED, atMs: start + 120_000 },
    ]);
    expect(h.meter.powerRestored().alerts).toEqual([]);
    h.meter.powerOutage(start + 180_000);
    expect(h.meter.powerRestored(start + 360_000).alerts[0]!.code).toBe(
      AlertCode.SUPPLY_RESTORED_AFTER_LONG_OUTAGE,
    );
    expect(() => h.meter.powerOutage(h.clock.ms + 1)).toThrow(/future/);
  });

  it('no energy is delivered during an outage', () => {
    const h = new MeterHarness(id, 0, start);
    const before = h.send('4.1.1').body!.totalActiveImportWh;
    h.meter.powerOutage();
    h.clock.advance(86_400_000);
    h.meter.powerRestored();
    expect(h.send('4.1.1').body!.totalActiveImportWh).toBe(before);
  });

  it('voltage excursions: start and end alerts per threshold crossed for its period, counted in 4.10', () => {
    const h = new MeterHarness(id, 0, start);
    h.clock.advance(3_600_000);
    const swell = h.meter.voltageExcursion({ fromMs: start + 1_000, toMs: start + 61_000, rmsVoltageV: 270 });
    expect(swell.alerts.map((a) => [alertCodeHex(a.code), a.atMs])).toEqual([
      ['8002', start + 1_000],
      ['8024', start + 1_000],
      ['8085', start + 61_000],
      ['8091', start + 61_000],
    ]);
    const brief = h.meter.voltageExcursion({
      fromMs: start + 100_000,
      toMs: start + 110_000,
      rmsVoltageV: 300,
    });
    expect(brief.alerts).toEqual([]);
    const sag = h.meter.voltageExcursion({
      fromMs: start + 200_000,
      toMs: start + 260_000,
      rmsVoltageV: 170,
    });
    expect(sag.alerts.map((a) => alertCodeHex(a.code))).toEqual([
      '8006',
      '8028',
      '802C',
      '8089',
      '8095',
      '8099',
    ]);
    expect(h.send('4.10').body!.voltageEvents).toEqual({
      averageOver: 1,
      averageUnder: 1,
      extremeOver: 0,
      extremeUnder: 1,
      swell: 1,
      sag: 1,
    });
    expect(
      h.meter.voltageExcursion({ fromMs: start, toMs: start + 60_000, rmsVoltageV: 235 }).alerts,
    ).toEqual([]);
  });

  it('6.5 thresholds change what counts as an excursion; out-of-order thresholds are refused', () => {
    const h = new MeterHarness(id, 0, start, {});
    h.clock.advance(3_600_000);
    expect(h.send('6.5', { averageOverV: 245, swellV: 250, averagePeriodS: 10 }).outcome).toBe('executed');
    const alerts = h.meter.voltageExcursion({ fromMs: start, toMs: start + 20_000, rmsVoltageV: 247 }).alerts;
    expect(alerts.map((a) => a.code)).toEqual([
      AlertCode.AVERAGE_RMS_OVER_VOLTAGE,
      AlertCode.AVERAGE_RMS_OVER_VOLTAGE_END,
    ]);
    const before = h.meter.toState();
    let status: number | undefined;
    try {
      h.send('6.5', { extremeOverV: 240 });
    } catch (error) {
      status = (error as { status: number }).status;
    }
    expect(status).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(h.meter.toState()).toEqual(before);
  });

  it('4.10 network data is deterministic and plausible', () => {
    const a = new MeterHarness(id, 0, start).send('4.10').body!;
    const b = new MeterHarness(id, 0, start).send('4.10').body!;
    expect(a).toEqual(b);
    expect(a.rmsVoltageV).toBeGreaterThanOrEqual(224);
    expect(a.rmsVoltageV).toBeLessThanOrEqual(240);
    expect(a.averageRmsVoltageV).toBeGreaterThan(224);
  });
});

describe('6.22 alert behaviour', () => {
  it('disables and re-enables configurable alerts; critical (0x8Fxx) alerts cannot be disabled', () => {
    const h = new MeterHarness(id, 0, start);
    h.clock.advance(3_600_000);
    expect(h.send('6.22', { disable: [0x8002, 0x8085, 0x810d] }).body).toMatchObject({
      disabledAlerts: [0x8002, 0x8085, 0x810d],
    });
    const alerts = h.meter.voltageExcursion({ fromMs: start, toMs: start + 60_000, rmsVoltageV: 270 }).alerts;
    expect(alerts.map((a) => alertCodeHex(a.code))).toEqual(['8024', '8091']);
    expect(h.send('6.22', { enable: [0x8002] }).body).toMatchObject({ disabledAlerts: [0x8085, 0x810d] });
    expect(() => h.send('6.22', { disable: [AlertCode.FUTURE_DATED_FAILED] })).toThrow(
      /critical alerts cannot be disabled/,
    );
    expect(isConfigurableAlert(AlertCode.SUPPLY_INTERRUPTED)).toBe(false);
    expect(isConfigurableAlert(AlertCode.LOW_CREDIT)).toBe(true);
  });

  it('switches HAN alerts, alarms and event logging per code, apart from the WAN alerts', () => {
    const h = new MeterHarness(id, 0, start);
    const body = h.send('6.22', {
      hanAlertDisable: [0x8119, 0x8168],
      hanAlertEnable: [0x810d],
      alarmDisable: [0x8154],
      eventLogDisable: [0x8154, 0x8155],
    }).body;
    expect(body).toEqual({
      disabledAlerts: [],
      disabledHanAlerts: [0x8119, 0x8168],
      disabledAlarms: [0x8154],
      disabledEventLogs: [0x8154, 0x8155],
    });
    // Disable, then enable, per channel; other channels keep their settings.
    expect(h.send('6.22', { eventLogEnable: [0x8155], alarmEnable: [0x8154] }).body).toEqual({
      ...body,
      disabledAlarms: [],
      disabledEventLogs: [0x8154],
    });
  });

  it('refuses to stop raising, sounding or logging a critical alert on any channel', () => {
    const h = new MeterHarness(id, 0, start);
    for (const key of ['hanAlertDisable', 'alarmDisable', 'eventLogDisable']) {
      expect(() => h.send('6.22', { [key]: [AlertCode.FUTURE_DATED_FAILED] })).toThrow(
        /critical alerts cannot be disabled/,
      );
    }
    expect(() => h.send('6.22', { smsDisable: [0x810d] } as never)).toThrow(/smsDisable/);
    expect(() => h.send('6.22', {})).toThrow();
  });

  it('caps the codes disabled per channel', () => {
    const h = new MeterHarness(id, 0, start);
    const codes = (from: number) => Array.from({ length: 40 }, (_, i) => from + i);
    h.send('6.22', { alarmDisable: codes(0x8100) });
    expect(() => h.send('6.22', { alarmDisable: codes(0x8200) })).toThrow(/at most 64/);
    // The WAN channel has its own allowance.
    expect(h.send('6.22', { disable: codes(0x8200) }).body?.disabledAlerts).toHaveLength(40);
  });

  it('suppresses disabled alerts in command results too', () => {
    const h = new MeterHarness(id, 0, start);
    h.send('6.22', { disable: [AlertCode.LOW_CREDIT, AlertCode.EMERGENCY_CREDIT_AVAILABLE] });
    h.send('1.5', { adjustPence: 100 });
    const result = h.send('1.6', { mode: 'prepayment' });
    expect(result.alerts.map((a) => a.code)).toEqual([]);
    h.clock.advance(86_400_000);
    expect(h.send('7.4').alerts.map((a) => a.code)).toEqual([AlertCode.CREDIT_BELOW_DISABLEMENT_THRESHOLD]);
  });
});

describe('3.1 display message', () => {
  it('keeps the last message; refuses empty, overlong or non-printable text', () => {
    const h = new MeterHarness(id, 0, start);
    h.send('3.1', { message: 'Your tariff changes on 1 April' });
    h.send('3.1', { message: 'Top up soon' });
    expect(h.meter.inspect().displayMessage).toBe('Top up soon');
    expect(() => h.send('3.1', { message: 'x'.repeat(161) })).toThrow(/INVALID|at most 160/);
    expect(() => h.send('3.1', { message: 'bell\u0007' })).toThrow();
  });
});
