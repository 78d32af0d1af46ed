import type { Eui64 } from '@dcc/domain';
import { describe, expect, it } from 'vitest';
import { AlertCode } from './alerts.js';
import { DEVICE_LOG_ENTRIES } from './device-logs.js';
import { MeterHarness } from './meter-harness.js';

const id = '00-DB-12-00-00-00-00-2A' as Eui64;
const start = Date.UTC(2026, 2, 2, 9);
const all = { startMs: 0, endMs: Date.UTC(2100, 0, 1) };

/** An ESME that lost its supply for a minute, an hour after the start. */
function outageAndBack(h: MeterHarness): void {
  h.clock.advance(2 * 3_600_000);
  h.meter.powerOutage(start + 3_600_000);
  h.meter.powerRestored(start + 3_660_000);
}

describe('device event logs (6.13 reads, 3.3 clears)', () => {
  it('an ESME records supply lost and restored in its power event log, other alerts in its event log', () => {
    const h = new MeterHarness(id, 0, start);
    outageAndBack(h);
    h.send('1.6', { mode: 'prepayment' });
    h.clock.advance(40 * 86_400_000);
    const power = h.send('6.13', { log: 'power', ...all }).body!;
    expect(power.entries).toEqual([
      { code: AlertCode.SUPPLY_INTERRUPTED, atMs: start + 3_600_000 },
      { code: AlertCode.SUPPLY_RESTORED, atMs: start + 3_660_000 },
    ]);
    const events = h.send('6.13', { log: 'event', ...all }).body!.entries;
    // Prepayment with no credit: the credit alerts are events of the ESME.
    expect(events.length).toBeGreaterThan(0);
    expect(events.map((e) => e.code)).not.toContain(AlertCode.SUPPLY_INTERRUPTED);
    expect(h.send('6.13', { log: 'alcs', ...all }).body!.entries).toEqual([]);
  });

  it('returns only the entries in [start, end) of the period', () => {
    const h = new MeterHarness(id, 0, start);
    outageAndBack(h);
    const read = (startMs: number, endMs: number) =>
      h.send('6.13', { log: 'power', startMs, endMs }).body!.entries.map((e) => e.atMs);
    expect(read(start + 3_600_000, start + 3_660_000)).toEqual([start + 3_600_000]);
    expect(read(start + 3_600_001, start + 3_660_001)).toEqual([start + 3_660_000]);
    expect(read(0, start)).toEqual([]);
  });

  it('records an alert 6.22 disabled (the event happened; only its sending is off)', () => {
    const h = new MeterHarness(id, 0, start);
    h.send('6.22', { disable: [AlertCode.EMERGENCY_CREDIT_AVAILABLE, AlertCode.LOW_CREDIT] });
    h.send('1.6', { mode: 'prepayment' });
    h.clock.advance(86_400_000);
    const sent = h.send('4.18');
    expect(sent.alerts.map((a) => a.code)).not.toContain(AlertCode.LOW_CREDIT);
    const logged = h.send('6.13', { log: 'event', ...all }).body!.entries.map((e) => e.code);
    expect(logged).toContain(AlertCode.LOW_CREDIT);
  });

  it('does not log an event whose logging 6.22 switched off, though it still sends the alert', () => {
    const logged = (settings: Record<string, number[]>) => {
      const h = new MeterHarness(id, 0, start);
      h.send('6.22', settings);
      const sent = h.send('1.6', { mode: 'prepayment' }).alerts.map((a) => a.code);
      h.clock.advance(86_400_000);
      h.send('4.18');
      return { sent, logged: h.send('6.13', { log: 'event', ...all }).body!.entries.map((e) => e.code) };
    };
    const control = logged({ hanAlertDisable: [AlertCode.LOW_CREDIT] });
    expect(control.logged).toContain(AlertCode.LOW_CREDIT);
    const quiet = logged({ eventLogDisable: [AlertCode.LOW_CREDIT] });
    expect(quiet.logged).not.toContain(AlertCode.LOW_CREDIT);
    expect(quiet.sent).toEqual(control.sent);
  });

  it('keeps the latest entries only, the oldest going first', () => {
    const h = new MeterHarness(id, 0, start);
    h.clock.advance(2 * (DEVICE_LOG_ENTRIES + 10) * 60_000);
    for (let i = 0; i < DEVICE_LOG_ENTRIES; i++) {
      h.meter.powerOutage(start + 2 * i * 60_000);
      h.meter.powerRestored(start + (2 * i + 1) * 60_000);
    }
    const entries = h.send('6.13', { log: 'power', ...all }).body!.entries;
    expect(entries).toHaveLength(DEVICE_LOG_ENTRIES);
    expect(entries[0]!.atMs).toBe(start + DEVICE_LOG_ENTRIES * 60_000);
  });

  it('3.3 clears the event log an ESME names, never its power event log; the logs survive a reload', () => {
    const h = new MeterHarness(id, 0, start);
    outageAndBack(h);
    h.send('1.6', { mode: 'prepayment' });
    h.clock.advance(86_400_000);
    h.send('4.18');
    h.reload();
    expect(h.send('6.13', { log: 'event', ...all }).body!.entries.length).toBeGreaterThan(0);
    h.send('3.3', { esmeLog: 'alcs' });
    expect(h.send('6.13', { log: 'event', ...all }).body!.entries.length).toBeGreaterThan(0);
    h.send('3.3', { esmeLog: 'event' });
    expect(h.send('6.13', { log: 'event', ...all }).body!.entries).toEqual([]);
    expect(h.send('6.13', { log: 'power', ...all }).body!.entries).toHaveLength(2);
  });

  it('3.3: an ESME must name its log, another device must not', () => {
    const esme = new MeterHarness(id, 0, start);
    expect(() => esme.send('3.3', {})).toThrow(/an ESME needs the ESMEEventLogType/);
    const gas = new MeterHarness(id, 0, start, { deviceType: 'GSME' });
    expect(() => gas.send('3.3', { esmeLog: 'event' })).toThrow(/ESMEEventLogType is an ESME's/);
    expect(gas.send('3.3', {}).outcome).toBe('executed');
  });

  it('6.13: a GSME or CHF keeps event and security logs, no power or ALCS event log', () => {
    for (const deviceType of ['GSME', 'CHF'] as const) {
      const h = new MeterHarness(id, 0, start, { deviceType });
      expect(h.send('6.13', { log: 'security', ...all }).body!.entries).toEqual([]);
      const power = h.send('6.13', { log: 'power', ...all });
      expect(power.outcome).toBe('rejected');
      expect(power.rejection?.reason).toBe('NO_SUCH_LOG');
    }
  });

  it('6.13 refuses a malformed body', () => {
    const h = new MeterHarness(id, 0, start);
    expect(() => h.send('6.13', { log: 'debug' as never, ...all })).toThrow(/log must be one of/);
    expect(() => h.send('6.13', { log: 'event', startMs: 10, endMs: 10 })).toThrow(/after startMs/);
  });
});
