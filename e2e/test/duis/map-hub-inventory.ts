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

/**
 * 8.5 (a device SRV): the replacement ACB's floor, KA certificate and certification path (base64 DER in DUIS);
 * its ExecutionDateTime is DSP future-dating, taken by the request (sample-mapping.ts).
 */
function serviceOptOut(body: BodyReader) {
  const der = (text: string) => Buffer.from(text, 'base64');
  return {
    $case: 'serviceOptOut' as const,
    value: {
      acbFloorSeqNumber: body.text('ACBFloorSeqNumber'),
      replacementKeyAgreementCertificate: der(
        body.child('ReplacementCertificates').text('KeyAgreementCertificate'),
      ),
      certificationPathCertificates: body
        .child('CertificationPathCertificates')
        .children('Certificate')
        .map((c) => der(c.value())),
      applyTimeBasedCpvChecks: body.text('ApplyTimeBasedCPVChecks') === 'true',
    },
  };
}

/** The opt-out and inventory SRVs: 8.5 (device), and 8.4 (with DeleteDevice), 8.6 and 12.1 (registration). */
export const HUB_INVENTORY_MAPPERS: Record<string, SampleMapper> = {
  '8.4': updateInventory,
  '8.5': serviceOptOut,
  '8.6': serviceOptIn,
  '12.1': requestWanMatrix,
};
