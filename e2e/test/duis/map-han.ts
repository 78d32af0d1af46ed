import { HanDeviceLogRequestType } from '@dcc/proto';
import { Unexpressible, type BodyReader } from './body-reader.js';
import { empty, type RequestBody, type SampleMapper } from './map-common.js';

/** 8.7.x and 8.8.x: the other device of the join or unjoin. */
const otherDevice =
  <C extends string>($case: C): SampleMapper =>
  (body) =>
    ({ $case, value: { otherDeviceId: body.text('OtherDeviceID') } }) as RequestBody;

const REQUEST_TYPES: Readonly<Record<string, HanDeviceLogRequestType>> = {
  Add: HanDeviceLogRequestType.HAN_DEVICE_LOG_REQUEST_TYPE_ADD,
  Remove: HanDeviceLogRequestType.HAN_DEVICE_LOG_REQUEST_TYPE_REMOVE,
};

/** 8.11: the device, Add or Remove, and for Add its AddDeviceToCHFWhitelist entry. */
function updateHanDeviceLog(body: BodyReader): RequestBody {
  const type = body.text('RequestType');
  const requestType = REQUEST_TYPES[type];
  if (requestType === undefined) throw new Unexpressible(`RequestType "${type}" is neither Add nor Remove`);
  const entry = body.optionalChild('AddDeviceToCHFWhitelist');
  return {
    $case: 'updateHanDeviceLog',
    value: {
      deviceId: body.text('DeviceID'),
      requestType,
      ...(entry
        ? {
            add: {
              joinTimePeriod: Number(entry.text('JoinTimePeriod')),
              installCode: entry.text('InstallCode'),
              importMpxn: entry.optionalText('ImportMPxN') ?? '',
              secondaryImportMpan: entry.optionalText('SecondaryImportMPAN') ?? '',
            },
          }
        : {}),
    },
  };
}

/**
 * HAN joins and device logs on the device (8.7 join, 8.8 unjoin, 8.9 read device log, 8.11 update it, 8.12 restore
 * it onto a new CHF or GPF); 9.1.
 */
export const HAN_MAPPERS: Record<string, SampleMapper> = {
  '8.7.1': otherDevice('joinServiceCritical'),
  '8.7.2': otherDevice('joinServiceNonCritical'),
  '8.8.1': otherDevice('unjoinServiceCritical'),
  '8.8.2': otherDevice('unjoinServiceNonCritical'),
  // `<sr:ReadDeviceLog/>` (consumed as an empty element) or with the ReadSecurityDetails flag.
  '8.9': (body) => {
    if (body.names().length === 0) body.value();
    return { $case: 'readDeviceLog', value: { readSecurityDetails: body.flag('ReadSecurityDetails') } };
  },
  '8.11': updateHanDeviceLog,
  // The old device only: the hub fills its saved log in from the inventory (savedEntries stays empty).
  '8.12.1': (body) => ({
    $case: 'restoreHanDeviceLog',
    value: { oldChfId: body.text('OldCHFID'), savedEntries: [] },
  }),
  '8.12.2': (body) => ({
    $case: 'restoreGpfDeviceLog',
    value: { oldGpfId: body.text('OldGPFID'), savedEntries: [] },
  }),
  '9.1': empty('requestCustomerIdentificationNumber'),
};
