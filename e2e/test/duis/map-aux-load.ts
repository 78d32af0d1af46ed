import type { AuxiliaryScheduleTiming, WildcardDate } from '@dcc/proto';
import { Unexpressible, type BodyReader } from './body-reader.js';
import { dateTimeMs, empty, executionDateTime, readLogPeriod, type SampleMapper } from './map-common.js';
import { dayOfWeek, ELECTRICITY_DATE, timeOfDayMs, wildcardDate } from './map-prepay-calendar.js';

/** A whole-number attribute or text ("5"). */
function whole(text: string): number {
  if (!/^\d+$/.test(text)) throw new Unexpressible(`"${text}" is not a whole number`);
  return Number(text);
}

function bool(text: string): boolean {
  if (text !== 'true' && text !== 'false') throw new Unexpressible(`"${text}" is not a boolean`);
  return text === 'true';
}

const date = (element: BodyReader): WildcardDate => wildcardDate(element, ELECTRICITY_DATE);

/** An entry's SpecialDaysApplicability (by `attribute`), DaysOfWeekApplicability and its dates and time. */
function timing(entry: BodyReader, attribute: string, datesAndTime: string): AuxiliaryScheduleTiming {
  const when = entry.child(datesAndTime);
  const days = entry.optionalChild('DaysOfWeekApplicability');
  return {
    specialDayIndexes: entry.children('SpecialDaysApplicability').map((s) => whole(s.attribute(attribute))),
    daysOfWeek: (days?.children('DayOfWeekApplicability') ?? []).map((d) => dayOfWeek(d.text('DayOfWeekID'))),
    switchTimeMs: timeOfDayMs(when.text('SwitchTime')),
    startDate: date(when.child('StartDate')),
    endDate: date(when.child('EndDate')),
  };
}

function specialDays(list: BodyReader | undefined, item: string, attribute: string) {
  return (list?.children(item) ?? []).map((day) => ({
    index: whole(day.attribute(attribute)),
    date: date(day),
  }));
}

/** 7.5, 7.6: ActivateALCSHCALCS / DeactivateALCSHCALCS with its index and Duration (minutes). */
const override =
  ($case: 'activateAuxiliaryLoad' | 'deactivateAuxiliaryLoad', element: string): SampleMapper =>
  (body) => {
    const item = body.child(element);
    return {
      $case,
      value: { switchIndex: whole(item.attribute('index')), durationMinutes: whole(item.text('Duration')) },
    };
  };

/** 7.9, 7.10: AddToBoostButton / RemoveFromBoostButton elements, index and boolean. */
const boost =
  (
    $case: 'addAuxiliaryLoadToBoostButton' | 'removeAuxiliaryLoadFromBoostButton',
    element: string,
  ): SampleMapper =>
  (body) => ({
    $case,
    value: {
      switches: body
        .children(element)
        .map((s) => ({ switchIndex: whole(s.attribute('index')), selected: bool(s.value()) })),
    },
  });

/** 7.13, 7.16: the controller (attribute), window, level and whether the APC reads its controlled load. */
const controllerLevel =
  ($case: 'setAuxiliaryControllerState' | 'limitApcLevel'): SampleMapper =>
  (body) => ({
    $case,
    value: {
      auxiliaryControllerN: whole(body.attribute('auxiliaryControllerN')),
      startDateTimeMs: dateTimeMs(body.text('StartDateTime')),
      endDateTimeMs: dateTimeMs(body.text('EndDateTime')),
      commandedStateLevel: whole(body.text('CommandedStateLevel')),
      inputFromControlledLoad: body.flag('InputFromControlledLoad'),
    },
  });

/** 6.14.x and 7.5-7.16: auxiliary load switches and auxiliary controllers. */
export const AUX_LOAD_MAPPERS: Record<string, SampleMapper> = {
  '7.5': override('activateAuxiliaryLoad', 'ActivateALCSHCALCS'),
  '7.6': override('deactivateAuxiliaryLoad', 'DeactivateALCSHCALCS'),
  '7.7': empty('readAlcsData'),
  '7.8': (body) => ({
    $case: 'resetAuxiliaryLoad',
    value: { switchIndex: whole(body.child('ResetALCSHCALCS').attribute('index')) },
  }),
  '7.9': boost('addAuxiliaryLoadToBoostButton', 'AddToBoostButton'),
  '7.10': boost('removeAuxiliaryLoadFromBoostButton', 'RemoveFromBoostButton'),
  '7.11': (body) => ({ $case: 'readBoostButtonDetails', value: { period: readLogPeriod(body) } }),
  '7.12': (body) => ({
    $case: 'setRandomisedOffsetLimit',
    value: { randomisedOffsetLimitS: whole(body.text('RandomisedOffsetLimit')) },
  }),
  '7.13': controllerLevel('setAuxiliaryControllerState'),
  '7.14': empty('readAuxiliaryControllerConfigurationData'),
  '7.15': empty('readAuxiliaryControllerOperationalData'),
  '7.16': controllerLevel('limitApcLevel'),
  '6.14.1': (body) => ({
    $case: 'updateDeviceConfigurationAlcDescriptions',
    value: {
      descriptions: body.children('ALCSHCALCSDescription').map((d) => ({
        switchIndex: whole(d.attribute('index')),
        description: d.text('SwitchDescription'),
      })),
    },
  }),
  '6.14.2': (body) => ({
    $case: 'updateDeviceConfigurationAlcScheduler',
    value: {
      ...executionDateTime(body),
      schedules: body.children('ALCSHCALCSConnectionSchedule').map((s) => {
        const action = s.child('ActivateDeactivateSwitch');
        const activate = action.flag('ActivateSwitch');
        if (!activate && !action.flag('DeactivateSwitch'))
          throw new Unexpressible('no ActivateSwitch/DeactivateSwitch');
        return {
          switchIndex: whole(action.attribute('index')),
          activate,
          timing: timing(s, 'index', 'ALCSScheduleDatesAndTime'),
        };
      }),
      specialDays: specialDays(body.optionalChild('ALCSHCALCSSpecialDays'), 'ALCSHCALCSSpecialDay', 'index'),
      switchTypes: body.children('SwitchTypeAndId').map((t) => {
        const alcs = t.flag('ALCS');
        return { switchIndex: whole(t.attribute('index')), hcalcsDeviceId: alcs ? '' : t.text('HCALCS') };
      }),
    },
  }),
  '6.14.3': (body) => ({
    $case: 'updateDeviceConfigurationAuxiliaryControllerScheduler',
    value: {
      ...executionDateTime(body),
      schedules: body.children('AuxiliaryControllerSchedule').map((s) => {
        const action = s.child('AuxiliaryControllerAction');
        return {
          auxiliaryControllerN: whole(action.attribute('auxiliaryControllerN')),
          commandedStateLevel: whole(action.text('CommandedStateLevel')),
          inputFromControlledLoad: action.flag('InputFromControlledLoad'),
          timing: timing(s, 'identifier', 'AuxiliaryControllerSchedulePeriodAndTime'),
        };
      }),
      specialDays: specialDays(
        body.optionalChild('AuxiliaryControllerSpecialDayDefinitions'),
        'AuxiliaryControllerSpecialDayDefinition',
        'identifier',
      ),
    },
  }),
};
