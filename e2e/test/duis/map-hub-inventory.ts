import type { BodyReader } from './body-reader.js';
import { dateTimeMs, type SampleMapper } from './map-common.js';

/** 8.4 with DeleteDevice (an empty flag element): the device leaves the inventory; nothing else to update. */
function updateInventory(body: BodyReader) {
  return {
    $case: 'updateInventory' as const,
    value: {
      deviceId: body.text('DeviceID'),
      status: 0,
      model: '',
      firmwareVersion: '',
      mpxn: '',
      commsHubId: '',
      reason: '',
      deleteDevice: body.flag('DeleteDevice'),
    },
  };
}

/** 8.6: the device, its type and MPxNs, and the OptInDate (xs:date, as UTC midnight). */
function serviceOptIn(body: BodyReader) {
  const mpxns = body.child('MPxNs');
  return {
    $case: 'serviceOptIn' as const,
    value: {
      deviceId: body.text('DeviceID'),
      deviceType: body.text('DeviceType'),
      importMpxn: mpxns.text('ImportMPxN'),
      secondaryImportMpan: mpxns.optionalText('SecondaryImportMPAN') ?? '',
      exportMpan: mpxns.optionalText('ExportMPAN') ?? '',
      optInDateMs: dateTimeMs(`${body.text('OptInDate')}T00:00:00Z`),
    },
  };
}

/** 12.1: the PartialAddress (PostCode, optional AddressIdentifier). */
function requestWanMatrix(body: BodyReader) {
  const address = body.child('PartialAddress');
  return {
    $case: 'requestWanMatrix' as const,
    value: {
      postCode: address.text('PostCode'),
      addressIdentifier: address.optionalText('AddressIdentifier') ?? '',
    },
  };
}

/** Non-device SRVs registration answers from its estate: 8.4 (with DeleteDevice), 8.6 and 12.1. */
export const HUB_INVENTORY_MAPPERS: Record<string, SampleMapper> = {
  '8.4': updateInventory,
  '8.6': serviceOptIn,
  '12.1': requestWanMatrix,
};
