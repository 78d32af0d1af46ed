import { ScheduleFrequency } from '@dcc/proto';
import { Unexpressible, type BodyReader } from './body-reader.js';
import { dateTimeMs, type RequestBody, type SampleMapper } from './map-common.js';

const FREQUENCIES: Record<string, ScheduleFrequency> = {
  Daily: ScheduleFrequency.SCHEDULE_FREQUENCY_DAILY,
  Weekly: ScheduleFrequency.SCHEDULE_FREQUENCY_WEEKLY,
  Monthly: ScheduleFrequency.SCHEDULE_FREQUENCY_MONTHLY,
};

/** "HH:MM:SS.ssZ" as seconds after midnight. */
const secondsOfDay = (text: string) => Math.round((dateTimeMs(`1970-01-01T${text}`) % 86_400_000) / 1000);

/** 5.1: the scheduled SRV's parameters are in a DSP<BodyElement> element of offsets and times. */
function createSchedule(body: BodyReader): RequestBody {
  const frequency = FREQUENCIES[body.text('ScheduleFrequency')];
  if (frequency === undefined) throw new Unexpressible('unknown ScheduleFrequency');
  // The two-level ServiceReference repeats what the variant says.
  const srv = body.text('DSPScheduledServiceReferenceVariant');
  if (
    !srv.startsWith(`${body.text('DSPScheduledServiceReference')}.`) &&
    srv !== body.peekText('DSPScheduledServiceReference')
  )
    throw new Unexpressible('DSPScheduledServiceReference does not match its variant');
  const parameters = body.names().find((name) => name.startsWith('DSP') && !name.startsWith('DSPScheduled'));
  const window = parameters ? body.child(parameters) : undefined;
  const endDate = body.optionalText('ScheduleEndDate');
  return {
    $case: 'createSchedule',
    value: {
      scheduledServiceReferenceVariant: srv,
      deviceId: body.text('DeviceID'),
      frequency,
      startDateMs: dateTimeMs(`${body.text('ScheduleStartDate')}T00:00:00Z`),
      endDateMs: endDate === undefined ? 0 : dateTimeMs(`${endDate}T00:00:00Z`),
      executionTimeS: 0,
      startDateOffset: window ? Number(window.text('StartDateOffset')) : 0,
      startTimeS: window ? secondsOfDay(window.text('StartTime')) : 0,
      endDateOffset: window ? Number(window.text('EndDateOffset')) : 0,
      endTimeS: window ? secondsOfDay(window.text('EndTime')) : 0,
      purpose: '',
    },
  };
}

/** Non-device SRVs (command variant 8 to the hub): 5.x schedules, 8.2 and 8.3 inventory, 12.2 pre-notification. */
export const NON_DEVICE_MAPPERS: Record<string, SampleMapper> = {
  '5.1': createSchedule,
  '5.2': (body) => ({
    $case: 'readSchedule',
    value: {
      dspScheduleId: body.optionalText('DSPScheduleID') ?? '',
      deviceId: body.optionalText('DeviceID') ?? '',
    },
  }),
  '5.3': (body) => ({ $case: 'deleteSchedule', value: { dspScheduleId: body.text('DSPScheduleID') } }),
  '8.2': (body) => ({
    $case: 'readInventory',
    value: { deviceId: body.optionalText('DeviceID') ?? '', mpxn: body.optionalText('MPxN') ?? '' },
  }),
  '8.3': (body) => ({ $case: 'decommissionDevice', value: { deviceId: body.text('DeviceID'), reason: '' } }),
  // DUIS names no generation: 12.2 pre-notifies SMETS2 / CHTS devices (empty = SMETS2 on the API).
  '12.2': (body) => ({
    $case: 'devicePrenotification',
    value: {
      deviceId: body.text('DeviceID'),
      deviceType: body.text('DeviceType'),
      model: body.text('DeviceModel'),
      firmwareVersion: body.text('FirmwareVersion'),
      smetsGeneration: '',
      manufacturer: body.text('DeviceManufacturer'),
      smetsChtsVersion: body.text('SMETSCHTSVersion'),
      esmeVariant: body.optionalText('ESMEVariant') ?? '',
    },
  }),
};
