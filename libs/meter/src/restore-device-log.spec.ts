import type { DeviceType, Eui64 } from '@dcc/domain';
import { describe, expect, it } from 'vitest';
import { HAN_CAPACITY } from './han.js';
import { MeterHarness } from './meter-harness.js';

// 8.12.1 Restore HAN Device Log (the new CHF) and 8.12.2 Restore GPF Device Log (the new GPF): the device puts
// the old one's saved log, which access control filled from the inventory, on its own device log.

const start = Date.UTC(2026, 2, 2, 9);
const device = (n: number) => `00-DB-12-34-56-78-91-${n.toString(16).toUpperCase().padStart(2, '0')}`;
const OLD = '00-DB-12-34-56-78-90-95';
const OLD_2 = '00-DB-12-34-56-78-90-96';
const harness = (deviceType: DeviceType) =>
  new MeterHarness('00-DB-12-34-56-78-90-A2' as Eui64, 0, start, { deviceType });
const saved = (...ns: number[]) => ns.map((n) => ({ deviceId: device(n), deviceType: 'PPMID' }));
const whitelist = { joinTimePeriod: 90, installCode: '30313233343536373839414243444546' };
type Entry = { deviceId: string; deviceType: string };
/** The SRV's parameters as the wire gives them: the old device under its field (OldCHFID or OldGPFID). */
const body = (field: 'oldChfId' | 'oldGpfId', old: string, savedEntries: Entry[]) =>
  (field === 'oldChfId' ? { oldChfId: old, savedEntries } : { oldGpfId: old, savedEntries }) as never;

const cases: [DeviceType, '8.12.1' | '8.12.2', 'oldChfId' | 'oldGpfId'][] = [
  ['CHF', '8.12.1', 'oldChfId'],
  ['GPF', '8.12.2', 'oldGpfId'],
];

describe.each(cases)('%s: %s', (type, srv, field) => {
  it('installs the saved log after its own entries, kept across a reload and read by 8.9', () => {
    const h = harness(type);
    // An entry the device holds already (a CHF's from 8.11, a GPF's from an earlier restore).
    if (type === 'CHF') h.send('8.11', { deviceId: device(1), add: whitelist });
    else h.send(srv, body(field, OLD_2, saved(1)));
    h.clock.advance(60_000);
    const restored = h.send(srv, body(field, OLD, saved(1, 2, 3)));
    expect(restored.outcome).toBe('executed');
    expect(restored.body).toEqual({
      oldDeviceId: OLD,
      // device(1) was listed already: it keeps its place and time.
      entries: [
        { deviceId: device(1), addedMs: start },
        { deviceId: device(2), addedMs: start + 60_000 },
        { deviceId: device(3), addedMs: start + 60_000 },
      ],
      restoredCount: 2,
      meterTimeMs: start + 60_000,
    });
    h.reload();
    expect(h.send('8.9', { securityDetails: true }).body?.entries).toEqual([
      { deviceId: device(1), addedMs: start, installCodeUsed: type === 'CHF' },
      // Restored entries came with no install code.
      { deviceId: device(2), addedMs: start + 60_000, installCodeUsed: false },
      { deviceId: device(3), addedMs: start + 60_000, installCodeUsed: false },
    ]);
    // Restoring again adds nothing.
    expect(h.send(srv, body(field, OLD, saved(2, 3))).body?.restoredCount).toBe(0);
  });

  it('refuses, changing nothing, a restore that would overfill its log (DEVICE_LOG_FULL)', () => {
    const h = harness(type);
    h.send(srv, body(field, OLD_2, saved(200)));
    const all = Array.from({ length: HAN_CAPACITY.deviceLog }, (_, n) => n + 1);
    const full = h.send(srv, body(field, OLD, saved(...all)));
    expect(full.outcome).toBe('rejected');
    expect(full.rejection?.reason).toBe('DEVICE_LOG_FULL');
    expect(h.meter.inspect().han.log.map((e) => e.deviceId)).toEqual([device(200)]);
  });

  it('refuses the old device being itself, a log naming an end of the restore, no log, a malformed id', () => {
    const h = harness(type);
    expect(() => h.send(srv, body(field, h.deviceId, saved(1)))).toThrow(/the target itself/);
    expect(() => h.send(srv, body(field, OLD, [{ deviceId: OLD, deviceType: 'CHF' }]))).toThrow(
      /an end of the restore/,
    );
    expect(() => h.send(srv, body(field, OLD, [{ deviceId: h.deviceId, deviceType: type }]))).toThrow(
      /an end of the restore/,
    );
    expect(() => h.send(srv, body(field, OLD, []))).toThrow(/savedEntries must list/);
    expect(() => h.send(srv, body(field, '00db123456789095', saved(1)))).toThrow(new RegExp(field));
    expect(() => h.send(srv, body(field, OLD, [{ deviceType: 'PPMID' } as Entry]))).toThrow(/no deviceId/);
  });
});

describe('8.12.x reach only the device whose log they restore', () => {
  it('8.12.1 is not for a GPF or meter, 8.12.2 not for a CHF or GSME', () => {
    const entries = saved(1);
    expect(() => harness('GPF').send('8.12.1', body('oldChfId', OLD, entries))).toThrow(
      /a GPF does not take it/,
    );
    expect(() => harness('ESME').send('8.12.1', body('oldChfId', OLD, entries))).toThrow(
      /an? ESME does not take it/,
    );
    expect(() => harness('CHF').send('8.12.2', body('oldGpfId', OLD, entries))).toThrow(
      /a CHF does not take it/,
    );
    expect(() => harness('GSME').send('8.12.2', body('oldGpfId', OLD, entries))).toThrow(
      /a GSME does not take it/,
    );
  });
});
