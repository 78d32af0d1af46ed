import { DccError, parseRequestId, requireSrv } from '@dcc/domain';
import { RegistrationMeterKind, SmiDeviceStatus, UserRole } from '@dcc/proto';
import { describe, expect, it } from 'vitest';
import { decide } from './registration-check.js';

const REQUEST_ID = '90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A1:1';

function admitted(srv: string) {
  return {
    request: {
      requestId: REQUEST_ID,
      commandVariant: 1,
      serviceReferenceVariant: srv,
      userRole: UserRole.USER_ROLE_GAS_SUPPLIER,
      body: undefined,
    },
    id: parseRequestId(REQUEST_ID),
    srv: requireSrv(srv),
  };
}

/** Registration's answer for a device of this type that the User may address now. */
const registered = (deviceType: string) => ({
  responseCode: '',
  deviceStatus: SmiDeviceStatus.SMI_DEVICE_STATUS_COMMISSIONED,
  mpxn: '1000009916',
  tenancyStartMs: 0,
  holdingStartMs: 0,
  deviceType,
  generation: RegistrationMeterKind.REGISTRATION_METER_KIND_SMETS2,
  smets1Cohort: 0,
  cspRegion: 0,
  commsHubId: '00-DB-12-34-56-78-90-A2',
  gpfId: deviceType === 'GSME' ? '00-DB-12-34-56-78-90-A3' : '',
  esmeVariant: '',
});

function outcome(srv: string, deviceType: string): string {
  try {
    decide(admitted(srv), registered(deviceType));
    return 'ok';
  } catch (error) {
    return (error as DccError).responseCode ?? `grpc-${(error as DccError).status}`;
  }
}

/*
 * E11 (DCC-REFERENCE §1.5: the SRV is not compatible with the target device type), decided from the type the
 * inventory records before anything is stored: a gas SRV sent to an ESME, and an electricity one sent to a
 * GSME or GPF, are refused; gas reads reach the GSME and its GPF.
 */
describe('E11 per device type: gas SRVs to the gas meter and its GPF only, electricity ones to the ESME', () => {
  it.each([
    // srv,     ESME,  GSME,  GPF
    ['6.2.8', 'E11', 'ok', 'ok'],
    ['6.6', 'E11', 'ok', 'ok'],
    ['6.7', 'E11', 'ok', 'ok'],
    ['14.1', 'E11', 'ok', 'ok'],
    ['4.1.4', 'E11', 'ok', 'ok'],
    ['4.1.1', 'ok', 'ok', 'ok'],
    ['4.8.1', 'ok', 'ok', 'ok'],
    ['4.2', 'ok', 'E11', 'E11'],
    ['4.8.3', 'ok', 'E11', 'E11'],
    ['4.8.2', 'ok', 'E11', 'E11'],
    ['6.25', 'ok', 'E11', 'E11'],
    ['6.24.1', 'ok', 'ok', 'ok'],
    ['6.5', 'ok', 'E11', 'E11'],
    ['6.4.1', 'ok', 'E11', 'E11'],
    ['4.16', 'ok', 'E11', 'E11'],
  ])('%s: ESME %s, GSME %s, GPF %s', (srv, esme, gsme, gpf) => {
    expect([outcome(srv, 'ESME'), outcome(srv, 'GSME'), outcome(srv, 'GPF')]).toEqual([esme, gsme, gpf]);
  });
});
