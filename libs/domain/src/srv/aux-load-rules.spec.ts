import { describe, expect, it } from 'vitest';
import { checkRequestBody } from './srv-support.js';

/*
 * Auxiliary load control bodies refused before I99 (INVALID_ARGUMENT naming the field: DCC-REFERENCE §1.5 has no
 * DUIS response code for a bad parameter value), one case per rule.
 */

const HOUR = 3_600_000;
const timing = { specialDayIndexes: [], daysOfWeek: [1], switchTimeMs: 6 * HOUR, startDate: {}, endDate: {} };
const alcEntry = { switchIndex: 1, activate: true, timing };
const controllerEntry = {
  auxiliaryControllerN: 1,
  commandedStateLevel: 50,
  inputFromControlledLoad: false,
  timing,
};
const level = {
  auxiliaryControllerN: 1,
  startDateTimeMs: Date.UTC(2026, 0, 1),
  endDateTimeMs: Date.UTC(2026, 0, 1) + HOUR,
  commandedStateLevel: 50,
  inputFromControlledLoad: false,
};
const scheduler = (value: object) => ({ $case: 'updateDeviceConfigurationAlcScheduler', value });
const controllers = (value: object) => ({
  $case: 'updateDeviceConfigurationAuxiliaryControllerScheduler',
  value,
});

const REFUSED: [string, string, { $case: string; value: unknown }, RegExp][] = [
  [
    'switch 0',
    '7.5',
    { $case: 'activateAuxiliaryLoad', value: { switchIndex: 0, durationMinutes: 5 } },
    /switchIndex/,
  ],
  ['switch 6', '7.8', { $case: 'resetAuxiliaryLoad', value: { switchIndex: 6 } }, /switchIndex/],
  [
    'a duration over 65535 minutes',
    '7.6',
    { $case: 'deactivateAuxiliaryLoad', value: { switchIndex: 1, durationMinutes: 65_536 } },
    /durationMinutes/,
  ],
  [
    'a switch twice',
    '7.9',
    {
      $case: 'addAuxiliaryLoadToBoostButton',
      value: {
        switches: [
          { switchIndex: 1, selected: true },
          { switchIndex: 1, selected: false },
        ],
      },
    },
    /switches\[1\]\.switchIndex must be unique/,
  ],
  ['no switch', '7.10', { $case: 'removeAuxiliaryLoadFromBoostButton', value: { switches: [] } }, /switches/],
  ['no period', '7.11', { $case: 'readBoostButtonDetails', value: {} }, /period is missing/],
  [
    'an offset over half an hour',
    '7.12',
    { $case: 'setRandomisedOffsetLimit', value: { randomisedOffsetLimitS: 1_801 } },
    /randomisedOffsetLimitS/,
  ],
  [
    'controller 6',
    '7.13',
    { $case: 'setAuxiliaryControllerState', value: { ...level, auxiliaryControllerN: 6 } },
    /auxiliaryControllerN/,
  ],
  [
    'a level over 100',
    '7.16',
    { $case: 'limitApcLevel', value: { ...level, commandedStateLevel: 101 } },
    /commandedStateLevel/,
  ],
  [
    'a window ending before it starts',
    '7.13',
    { $case: 'setAuxiliaryControllerState', value: { ...level, endDateTimeMs: level.startDateTimeMs } },
    /endDateTimeMs must be after/,
  ],
  [
    'a description that is not printable ASCII',
    '6.14.1',
    {
      $case: 'updateDeviceConfigurationAlcDescriptions',
      value: { descriptions: [{ switchIndex: 1, description: 'é' }] },
    },
    /printable ASCII/,
  ],
  [
    'six descriptions',
    '6.14.1',
    {
      $case: 'updateDeviceConfigurationAlcDescriptions',
      value: { descriptions: [1, 2, 3, 4, 5, 6].map((switchIndex) => ({ switchIndex, description: 'x' })) },
    },
    /descriptions must hold 1 to 5/,
  ],
  [
    'no entry',
    '6.14.2',
    scheduler({ schedules: [], specialDays: [], switchTypes: [] }),
    /schedules must hold/,
  ],
  [
    'a time of day past midnight',
    '6.14.2',
    scheduler({ schedules: [{ ...alcEntry, timing: { ...timing, switchTimeMs: 24 * HOUR } }] }),
    /switchTimeMs must be a time of day/,
  ],
  [
    'an entry applying on no day',
    '6.14.2',
    scheduler({ schedules: [{ ...alcEntry, timing: { ...timing, daysOfWeek: [] } }] }),
    /applies on no day/,
  ],
  [
    'month 13',
    '6.14.2',
    scheduler({ schedules: [{ ...alcEntry, timing: { ...timing, startDate: { month: 13 } } }] }),
    /startDate\.month must be 1\.\.12/,
  ],
  [
    'an HCALCS id that is no EUI-64',
    '6.14.2',
    scheduler({ schedules: [alcEntry], switchTypes: [{ switchIndex: 2, hcalcsDeviceId: 'hcalcs' }] }),
    /hcalcsDeviceId must be an EUI-64/,
  ],
  [
    'a special day index twice',
    '6.14.3',
    controllers({
      schedules: [controllerEntry],
      specialDays: [
        { index: 1, date: {} },
        { index: 1, date: {} },
      ],
    }),
    /specialDays\[1\]\.index must be unique/,
  ],
  [
    'an undefined special day',
    '6.14.3',
    controllers({ schedules: [{ ...controllerEntry, timing: { ...timing, specialDayIndexes: [2] } }] }),
    /special day the request does not define/,
  ],
  [
    'a scheduled level over 100',
    '6.14.3',
    controllers({ schedules: [{ ...controllerEntry, commandedStateLevel: 150 }] }),
    /commandedStateLevel must be 0\.\.100/,
  ],
];

describe('auxiliary load control bodies, checked before I99', () => {
  it.each(REFUSED)('refuses %s (%s)', (_what, srv, body, why) => {
    expect(() => checkRequestBody(srv, body)).toThrow(why);
  });

  it('accepts the bodies those cases were made from', () => {
    expect(() => checkRequestBody('6.14.2', scheduler({ schedules: [alcEntry] }))).not.toThrow();
    expect(() => checkRequestBody('6.14.3', controllers({ schedules: [controllerEntry] }))).not.toThrow();
    expect(() =>
      checkRequestBody('7.13', { $case: 'setAuxiliaryControllerState', value: level }),
    ).not.toThrow();
  });
});
