import type { BodyReader } from './body-reader.js';
import type { RequestBody, SampleMapper } from './map-common.js';

/**
 * 11.1 UpdateFirmware and 11.4 UpdatePPMIDFirmware: FirmwareImage (base64 in DUIS, bytes on the API),
 * FirmwareVersion, and DeviceIDList (an XML list: device ids separated by white space).
 */
function firmware(body: BodyReader): { firmwareImage: Buffer; firmwareVersion: string; deviceIds: string[] } {
  return {
    firmwareImage: Buffer.from(body.text('FirmwareImage'), 'base64'),
    firmwareVersion: body.text('FirmwareVersion'),
    deviceIds: body.text('DeviceIDList').trim().split(/\s+/),
  };
}

export const FIRMWARE_MAPPERS: Record<string, SampleMapper> = {
  '11.1': (body): RequestBody => ({ $case: 'updateFirmware', value: firmware(body) }),
  '11.4': (body): RequestBody => ({ $case: 'updatePpmidFirmware', value: firmware(body) }),
};
