import type { DeviceType, Eui64 } from '@dcc/domain';
import { describe, expect, it } from 'vitest';
import { MeterHarness } from './meter-harness.js';

const id = '00-DB-12-00-00-00-00-2A' as Eui64;
/** Monday 2 March 2026, midnight UTC. */
const monday = Date.UTC(2026, 2, 2);
const HOUR = 3_600_000;
const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];
const anyDate = {};

const timing = (hour: number, days = EVERY_DAY, specialDayIndexes: number[] = []) => ({
  specialDayIndexes,
  daysOfWeek: days,
  switchTimeMs: hour * HOUR,
  startDate: anyDate,
  endDate: anyDate,
});

function esme(deviceType: DeviceType = 'ESME') {
  return new MeterHarness(id, 0, monday, { deviceType });
}

const active = (h: MeterHarness) => h.send('7.7').body!.switches.map((s) => s.active);

describe('auxiliary load control per device type', () => {
  it.each([
    ['ESME', 5],
    ['HCALCS', 1],
  ] as const)('a %s reports %i switches and five controllers, all off at first', (type, count) => {
    const h = esme(type);
    expect(h.send('7.7').body!.switches).toHaveLength(count);
    expect(active(h)).toEqual(Array(count).fill(false));
    expect(h.send('7.15').body!.controllers.map((c) => c.currentLevel)).toEqual([0, 0, 0, 0, 0]);
    // Reading keeps nothing: the defaults are derived until a write changes them.
    expect(h.meter.inspect().auxLoad).toBeNull();
  });

  it.each(['GSME', 'GPF', 'CHF', 'PPMID', 'IHD'] as const)('a %s has no auxiliary load switch', (type) => {
    const h = esme(type);
    for (const srv of ['7.7', '7.14', '7.15'] as const) expect(() => h.send(srv)).toThrow(/does not take it/);
  });

  it.each([
    ['7.12', { randomisedOffsetLimitS: 60 }],
    ['6.14.1', { descriptions: [{ switchIndex: 1, description: 'Heater' }] }],
    [
      '6.14.2',
      {
        schedules: [{ switchIndex: 1, activate: true, timing: timing(0) }],
        specialDays: [],
        switchTypes: [],
      },
    ],
  ] as const)('an HCALCS does not take %s (the ESME holds it)', (srv, params) => {
    expect(() => esme('HCALCS').send(srv, params as never)).toThrow(/does not take it/);
  });

  it('an HCALCS refuses a switch it does not have, and changes nothing; it takes its controllers 1 to 5', () => {
    const h = esme('HCALCS');
    const r = h.send('7.5', { switchIndex: 2, durationMinutes: 30 });
    expect(r).toMatchObject({ outcome: 'rejected', rejection: { reason: 'NO_SUCH_SWITCH' } });
    expect(h.send('7.9', { switches: [{ switchIndex: 3, selected: true }] }).rejection?.reason).toBe(
      'NO_SUCH_SWITCH',
    );
    expect(h.send('7.7').body!.switches[0]).toMatchObject({ active: false, onBoostButton: false });
    expect(h.send('7.5', { switchIndex: 1, durationMinutes: 30 }).body!.switches[0]!.active).toBe(true);
    const level = { startDateTimeMs: monday, endDateTimeMs: monday + HOUR, commandedStateLevel: 40 };
    const c = h.send('7.13', { auxiliaryControllerN: 5, ...level, inputFromControlledLoad: false });
    expect(c.body!.controllers[4]!.currentLevel).toBe(40);
    const schedule = { auxiliaryControllerN: 3, commandedStateLevel: 50, inputFromControlledLoad: false };
    expect(
      h.send('6.14.3', { schedules: [{ ...schedule, timing: timing(0) }], specialDays: [] }).outcome,
    ).toBe('executed');
  });
});

describe('ALCS switches on an ESME (7.5-7.12, 6.14.1, 6.14.2)', () => {
  it('7.5 and 7.6 override for their duration; 7.8 hands the switch back to its schedule', () => {
    const h = esme();
    const on = h.send('7.5', { switchIndex: 1, durationMinutes: 30 }).body!;
    expect(on.switches[0]).toMatchObject({ active: true, overrideUntilMs: monday + 30 * 60_000 });
    h.clock.advance(31 * 60_000);
    expect(active(h)[0]).toBe(false);
    h.send('7.5', { switchIndex: 3, durationMinutes: 60 });
    h.send('7.6', { switchIndex: 3, durationMinutes: 60 });
    expect(h.send('7.7').body!.switches[2]).toMatchObject({
      active: false,
      overrideUntilMs: expect.any(Number),
    });
    expect(h.send('7.8', { switchIndex: 3 }).body!.switches[2]!.overrideUntilMs).toBe(0);
  });

  it('6.14.1 descriptions, 7.9/7.10 boost button and 7.12 offset are kept across a reload and read back', () => {
    const h = esme();
    h.send('6.14.1', {
      descriptions: [
        { switchIndex: 2, description: 'Immersion' },
        { switchIndex: 4, description: 'Storage heater' },
      ],
    });
    h.send('7.9', { switches: [1, 2, 3].map((switchIndex) => ({ switchIndex, selected: true })) });
    h.send('7.10', {
      switches: [
        { switchIndex: 1, selected: true },
        { switchIndex: 3, selected: false },
      ],
    });
    h.send('7.12', { randomisedOffsetLimitS: 900 });
    h.reload();
    const data = h.send('7.7').body!;
    expect(data.switches.map((s) => s.description)).toEqual(['', 'Immersion', '', 'Storage heater', '']);
    expect(data.switches.map((s) => s.onBoostButton)).toEqual([false, true, true, false, false]);
    expect(data.randomisedOffsetLimitS).toBe(900);
    const period = { startMs: monday - 7 * 24 * HOUR, endMs: monday };
    expect(h.send('7.11', { period }).body).toEqual({ switchIndexes: [2, 3], period, meterTimeMs: monday });
    expect(h.send('7.14').body!.descriptions).toEqual([
      { switchIndex: 2, description: 'Immersion' },
      { switchIndex: 4, description: 'Storage heater' },
    ]);
  });

  it('6.14.2: the switch follows its schedule; a special day replaces the weekday entries; types are kept', () => {
    const h = esme();
    const christmas = { index: 1, date: { month: 12, dayOfMonth: 25 } };
    const monday2 = { index: 2, date: { year: 2026, month: 3, dayOfMonth: 2 } };
    h.send('6.14.2', {
      schedules: [
        { switchIndex: 1, activate: true, timing: timing(6) },
        { switchIndex: 1, activate: false, timing: timing(10) },
        { switchIndex: 2, activate: true, timing: timing(6, [2]) },
        { switchIndex: 3, activate: true, timing: timing(8, [], [2]) },
      ],
      specialDays: [christmas, monday2],
      switchTypes: [{ switchIndex: 2, hcalcsDeviceId: '00-DB-12-34-56-78-90-97' }],
    });
    // Monday 2 March is special day 2: only switch 3's entry applies, so switch 1 stays as Sunday left it
    // (off at 10:00); switch 2 is still on from last Tuesday.
    h.clock.advance(9 * HOUR);
    expect(active(h)).toEqual([false, true, true, false, false]);
    // Tuesday 07:00: switch 1 on (06:00), switch 2 on (Tuesdays), switch 3 still on from Monday.
    h.clock.advance(22 * HOUR);
    expect(active(h)).toEqual([true, true, true, false, false]);
    h.clock.advance(4 * HOUR);
    expect(active(h)[0]).toBe(false);
    expect(h.send('7.7').body!.switches[1]!.hcalcsDeviceId).toBe('00-DB-12-34-56-78-90-97');
  });

  it('7.12: each scheduled switching is delayed by at most the randomised offset limit', () => {
    const h = esme();
    h.send('7.12', { randomisedOffsetLimitS: 1_800 });
    h.send('6.14.2', {
      schedules: [1, 2, 3, 4, 5].flatMap((switchIndex) => [
        { switchIndex, activate: false, timing: timing(3) },
        { switchIndex, activate: true, timing: timing(6) },
      ]),
      specialDays: [],
      switchTypes: [],
    });
    h.clock.advance(6 * HOUR - 1);
    expect(active(h)).toEqual([false, false, false, false, false]);
    h.clock.advance(30 * 60_000 + 1);
    expect(active(h)).toEqual([true, true, true, true, true]);
  });

  it('6.14.2 future-dated: held until its time, cancelled by a year-3000 one', () => {
    const h = esme();
    const body = {
      schedules: [{ switchIndex: 1, activate: true, timing: timing(0) }],
      specialDays: [],
      switchTypes: [],
    };
    expect(h.send('6.14.2', body, { executionTimeMs: monday + 2 * HOUR }).outcome).toBe('scheduled');
    expect(h.send('7.7').body!.schedules).toEqual([]);
    expect(h.send('6.14.2', body, { executionTimeMs: Date.UTC(3000, 0, 1) }).outcome).toBe('cancelled');
  });

  it.each([
    ['7.5', { switchIndex: 6, durationMinutes: 30 }, /switchIndex/],
    ['7.5', { switchIndex: 1, durationMinutes: 0 }, /durationMinutes/],
    ['7.9', { switches: [] }, /switches must hold/],
    ['7.12', { randomisedOffsetLimitS: 1_801 }, /randomisedOffsetLimitS/],
    ['6.14.1', { descriptions: [{ switchIndex: 1, description: 'x'.repeat(21) }] }, /longer than 20/],
    [
      '6.14.2',
      {
        schedules: [{ switchIndex: 1, activate: true, timing: timing(6, [], [9]) }],
        specialDays: [],
        switchTypes: [],
      },
      /special day the request does not define/,
    ],
  ] as const)('%s refuses a bad body (%o)', (srv, params, why) => {
    expect(() => esme().send(srv, params as never)).toThrow(why);
  });
});

describe('auxiliary controllers (7.13-7.16, 6.14.3)', () => {
  const level = (n: number, percent: number, fromMs: number, hours: number) => ({
    auxiliaryControllerN: n,
    startDateTimeMs: fromMs,
    endDateTimeMs: fromMs + hours * HOUR,
    commandedStateLevel: percent,
    inputFromControlledLoad: false,
  });

  it('7.13 holds a level in its window, 7.16 caps it, the 6.14.3 schedule rules outside the window', () => {
    const h = esme();
    const config = h.send('6.14.3', {
      schedules: [
        {
          auxiliaryControllerN: 2,
          commandedStateLevel: 50,
          inputFromControlledLoad: true,
          timing: timing(0),
        },
      ],
      specialDays: [{ index: 1, date: { month: 12, dayOfMonth: 25 } }],
    }).body!;
    expect(config.schedules[0]).toMatchObject({ auxiliaryControllerN: 2, inputFromControlledLoad: true });
    const levels = () => h.send('7.15').body!.controllers.map((c) => c.currentLevel);
    h.clock.advance(HOUR);
    expect(levels()).toEqual([0, 50, 0, 0, 0]);
    h.send('7.13', level(2, 100, monday + HOUR, 2));
    h.send('7.16', level(2, 75, monday + HOUR, 1));
    expect(levels()).toEqual([0, 75, 0, 0, 0]);
    h.clock.advance(HOUR);
    expect(levels()).toEqual([0, 100, 0, 0, 0]);
    h.clock.advance(HOUR);
    h.reload();
    expect(levels()).toEqual([0, 50, 0, 0, 0]);
    const c2 = h.send('7.15').body!.controllers[1]!;
    expect(c2.commanded).toEqual(level(2, 100, monday + HOUR, 2));
    expect(c2.apcLimit?.commandedStateLevel).toBe(75);
    expect(h.send('7.14').body!.specialDays).toEqual([{ index: 1, date: { month: 12, dayOfMonth: 25 } }]);
  });

  it.each([
    ['7.13', level(6, 50, monday, 1), /auxiliaryControllerN/],
    ['7.13', level(1, 101, monday, 1), /commandedStateLevel/],
    ['7.16', level(1, 50, monday, 0), /endDateTimeMs must be after/],
  ] as const)('%s refuses a bad body (%o)', (srv, params, why) => {
    expect(() => esme().send(srv, params)).toThrow(why);
  });
});
