import { ChfFaultReturnType } from '@dcc/proto';
import { Unexpressible, type BodyReader } from './body-reader.js';
import type { SampleMapper } from './map-common.js';

/** An xs:boolean element. */
function bool(body: BodyReader, name: string): boolean {
  const text = body.text(name);
  if (text !== 'true' && text !== 'false') throw new Unexpressible(`${name} "${text}" is not a boolean`);
  return text === 'true';
}

/** DUIS CHFFaultReturnType: the sample's spelling, and the post-installation one (inferred spelling). */
const FAULT_RETURN_TYPES: Record<string, ChfFaultReturnType> = {
  'Fault identified prior to installation': ChfFaultReturnType.CHF_FAULT_RETURN_TYPE_PRIOR_TO_INSTALLATION,
  'Fault identified post installation': ChfFaultReturnType.CHF_FAULT_RETURN_TYPE_POST_INSTALLATION,
};

/** 8.14.1 and 8.14.2 share the install fields. */
const install = (body: BodyReader) => ({
  deviceId: body.text('DeviceID'),
  installType: body.text('CHFInstallType'),
  mpxn: body.text('MPxN'),
  aerialInstall: bool(body, 'AerialInstall'),
  location: body.text('CHFLocation'),
});

/**
 * Non-device SRVs about the communications hub and locally delivered commands (command variant 8 to the hub):
 * 8.14.x status updates and 8.13 Return Local Command Response.
 */
export const CHF_OPS_MAPPERS: Record<string, SampleMapper> = {
  '8.14.1': (body) => ({ $case: 'chfInstallSuccess', value: install(body) }),
  '8.14.2': (body) => ({
    $case: 'chfInstallNoSmWan',
    value: {
      ...install(body),
      premiseType: body.text('PremiseType'),
      metalObstructionCheck: bool(body, 'MetalObstructionCheck'),
      connectivityObstructionCheck: bool(body, 'ConnectivityObstructionCheck'),
      sharedObstructionCheck: bool(body, 'SharedObstructionCheck'),
    },
  }),
  '8.14.3': (body) => {
    const type = body.text('CHFFaultReturnType');
    const faultReturnType = FAULT_RETURN_TYPES[type];
    if (faultReturnType === undefined) throw new Unexpressible(`unknown CHFFaultReturnType "${type}"`);
    return {
      $case: 'chfFaultReturn',
      value: {
        deviceId: body.text('DeviceID'),
        faultReturnType,
        otherDeviceId: body.optionalText('OtherDeviceID') ?? '',
        connectionMethod: body.text('CHFConnectionMethod'),
        faultReason: body.text('CHFFaultReason'),
      },
    };
  },
  '8.14.4': (body) => ({
    $case: 'chfNoFaultReturn',
    value: { deviceId: body.text('DeviceID'), noFaultReturnType: body.text('CHFNoFaultReturnType') },
  }),
  '8.13': (body) => ({
    $case: 'returnLocalCommandResponse',
    value: {
      originalRequestId: body.text('OriginalRequestID'),
      deviceGbcsResponse: Buffer.from(body.text('DeviceGBCSResponse'), 'base64'),
    },
  }),
};
