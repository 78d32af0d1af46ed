import type { DeviceType, Eui64 } from '@dcc/domain';
import { describe, expect, it } from 'vitest';
import { HAN_CAPACITY } from './han.js';
import { MeterHarness } from './meter-harness.js';

const start = Date.UTC(2026, 2, 2, 9);
const device = (n: number) => `00-DB-12-34-56-78-91-${n.toString(16).toUpperCase().padStart(2, '0')}`;
const harness = (deviceType: DeviceType) =>
  new MeterHarness('00-DB-12-34-56-78-90-A0' as Eui64, 0, start, { deviceType });
const whitelist = { joinTimePeriod: 90, installCode: '30313233343536373839414243444546' };

describe('HAN joins (8.7, 8.8) on every device type that joins', () => {
  it.each<DeviceType>(['ESME', 'GSME', 'PPMID', 'HCALCS', 'IHD'])(
    '%s: join, join again, unjoin, unjoin again; kept across a reload',
    (type) => {
      const h = harness(type);
      expect(h.send('8.7.1', { otherDeviceId: device(1) }).body).toEqual({
        otherDeviceId: device(1),
        changed: true,
        joinedDeviceIds: [device(1)],
        meterTimeMs: start,
      });
      expect(h.send('8.7.2', { otherDeviceId: device(2) }).body?.joinedDeviceIds).toEqual([
        device(1),
        device(2),
      ]);
      // A join that stands already changes nothing.
      expect(h.send('8.7.2', { otherDeviceId: device(1) }).body?.changed).toBe(false);
      h.reload();
      expect(h.meter.inspect().han.joins.map((entry) => entry.deviceId)).toEqual([device(1), device(2)]);
      expect(h.send('8.8.1', { otherDeviceId: device(1) }).body).toMatchObject({
        changed: true,
        joinedDeviceIds: [device(2)],
      });
      // Unjoining a device not joined leaves it so.
      expect(h.send('8.8.2', { otherDeviceId: device(1) }).body).toMatchObject({
        changed: false,
        joinedDeviceIds: [device(2)],
      });
    },
  );

  it('refuses a join beyond the capacity, a join with itself and a malformed device id', () => {
    const h = harness('ESME');
    for (let n = 0; n < HAN_CAPACITY.joins; n++) h.send('8.7.2', { otherDeviceId: device(n) });
    const full = h.send('8.7.2', { otherDeviceId: device(99) });
    expect(full.outcome).toBe('rejected');
    expect(full.rejection?.reason).toBe('DEVICE_LOG_FULL');
    expect(() => h.send('8.7.2', { otherDeviceId: h.deviceId })).toThrow(/target device itself/);
    expect(() => h.send('8.8.2', { otherDeviceId: '00db123456789093' })).toThrow(/otherDeviceId/);
  });

  it.each<DeviceType>(['ESME', 'GSME', 'PPMID', 'HCALCS'])(
    "8.9 reads a %s's joins (join details)",
    (type) => {
      const h = harness(type);
      h.send('8.7.2', { otherDeviceId: device(1) });
      h.clock.advance(60_000);
      h.send('8.7.1', { otherDeviceId: device(2) });
      expect(h.send('8.9', { securityDetails: false }).body?.entries).toEqual([
        { deviceId: device(1), addedMs: start },
        { deviceId: device(2), addedMs: start + 60_000 },
      ]);
    },
  );

  it.each<DeviceType>(['CHF', 'GPF'])(
    'a %s keeps a device log, not joins: 8.7 and 8.8 are not for it',
    (type) => {
      const h = harness(type);
      expect(() => h.send('8.7.2', { otherDeviceId: device(1) })).toThrow(/a (CHF|GPF) does not take it/);
      expect(() => h.send('8.8.2', { otherDeviceId: device(1) })).toThrow(/a (CHF|GPF) does not take it/);
    },
  );
});

describe('the CHF device log (8.11, read by 8.9)', () => {
  it('adds a device with its install code, updates it, removes it; 8.9 reads it with or without security details', () => {
    const h = harness('CHF');
    const added = h.send('8.11', { deviceId: device(1), add: { ...whitelist, importMpxn: '1312345678111' } });
    expect(added.body).toEqual({
      entries: [{ deviceId: device(1), addedMs: start, installCodeUsed: true }],
      changed: true,
      meterTimeMs: start,
    });
    expect(h.send('8.11', { deviceId: device(1), add: whitelist }).body?.changed).toBe(false);
    h.send('8.11', { deviceId: device(2), add: whitelist });
    h.reload();
    expect(h.send('8.9', { securityDetails: false }).body?.entries).toEqual([
      { deviceId: device(1), addedMs: start },
      { deviceId: device(2), addedMs: start },
    ]);
    expect(h.send('8.9', { securityDetails: true }).body?.entries[0]).toEqual({
      deviceId: device(1),
      addedMs: start,
      installCodeUsed: true,
    });
    expect(h.send('8.11', { deviceId: device(1), remove: true }).body).toMatchObject({
      changed: true,
      entries: [{ deviceId: device(2) }],
    });
    expect(h.send('8.11', { deviceId: device(1), remove: true }).body?.changed).toBe(false);
  });

  it('refuses an entry beyond the log, the CHF itself, and bad whitelist details', () => {
    const h = harness('CHF');
    for (let n = 0; n < HAN_CAPACITY.deviceLog; n++) h.send('8.11', { deviceId: device(n), add: whitelist });
    expect(h.send('8.11', { deviceId: device(99), add: whitelist }).rejection?.reason).toBe(
      'DEVICE_LOG_FULL',
    );
    expect(() => h.send('8.11', { deviceId: h.deviceId, add: whitelist })).toThrow(/the CHF itself/);
    expect(() => h.send('8.11', { deviceId: device(1), add: { ...whitelist, installCode: '30' } })).toThrow(
      /installCode/,
    );
    expect(() => h.send('8.11', { deviceId: device(1), add: { ...whitelist, joinTimePeriod: 0 } })).toThrow(
      /joinTimePeriod/,
    );
  });

  it.each<DeviceType>(['ESME', 'GPF', 'PPMID'])('8.11 is for a CHF only, not a %s', (type) => {
    expect(() => harness(type).send('8.11', { deviceId: device(1), remove: true })).toThrow(
      /does not take it/,
    );
  });
});

describe('9.1 Request Customer Identification Number', () => {
  it.each<DeviceType>(['ESME', 'GSME'])(
    'a %s takes a new four-digit CIN each time, keeps it, and answers without it',
    (type) => {
      const h = harness(type);
      const answer = h.send('9.1');
      expect(answer.body).toEqual({ meterTimeMs: start });
      const first = h.meter.inspect().customerIdentificationNumber;
      expect(first).toMatch(/^\d{4}$/);
      h.reload();
      expect(h.meter.inspect().customerIdentificationNumber).toBe(first);
      h.clock.advance(60_000);
      h.send('9.1');
      expect(h.meter.inspect().customerIdentificationNumber).toMatch(/^\d{4}$/);
      expect(() => harness('CHF').send('9.1')).toThrow(/does not take it/);
    },
  );
});
