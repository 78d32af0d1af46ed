import { allSrvs, DccError, GrpcStatus, parseRequestId, requireSrv } from '@dcc/domain';
import { RegistrationMeterKind, RegistrationSmets1Cohort, SmiDeviceStatus, UserRole } from '@dcc/proto';
import { describe, expect, it } from 'vitest';
import { COMMISSIONING_SRVS, RECOVERY_SRVS, statusAllows } from './device-status-rules.js';
import { decide } from './registration-check.js';

const S = SmiDeviceStatus;
const deviceSrvs = allSrvs().filter((s) => !s.nonDevice);
const allowedIn = (status: SmiDeviceStatus) =>
  deviceSrvs.filter((s) => statusAllows(status, s)).map((s) => s.srv);

describe('E5: SMI status × SRV', () => {
  it('Commissioned, Recovered and NotApplicable allow every device SRV', () => {
    for (const status of [
      S.SMI_DEVICE_STATUS_COMMISSIONED,
      S.SMI_DEVICE_STATUS_RECOVERED,
      S.SMI_DEVICE_STATUS_NOT_APPLICABLE,
    ]) {
      expect(allowedIn(status)).toHaveLength(deviceSrvs.length);
    }
  });

  it('InstalledNotCommissioned and Whitelisted allow commissioning and joining only', () => {
    for (const status of [S.SMI_DEVICE_STATUS_INSTALLED_NOT_COMMISSIONED, S.SMI_DEVICE_STATUS_WHITELISTED]) {
      expect(allowedIn(status).sort()).toEqual([...COMMISSIONING_SRVS].sort());
      expect(statusAllows(status, requireSrv('8.1.1'))).toBe(true);
      expect(statusAllows(status, requireSrv('4.1.1'))).toBe(false);
      expect(statusAllows(status, requireSrv('7.2'))).toBe(false);
    }
  });

  it('Recovery allows the security-credential SRVs only', () => {
    expect(allowedIn(S.SMI_DEVICE_STATUS_RECOVERY).sort()).toEqual([...RECOVERY_SRVS].sort());
    expect(statusAllows(S.SMI_DEVICE_STATUS_RECOVERY, requireSrv('6.15.2'))).toBe(true);
    expect(statusAllows(S.SMI_DEVICE_STATUS_RECOVERY, requireSrv('4.1.1'))).toBe(false);
  });

  it('Pending, Decommissioned, Withdrawn, Suspended and an unknown status allow no device SRV', () => {
    for (const status of [
      S.SMI_DEVICE_STATUS_PENDING,
      S.SMI_DEVICE_STATUS_DECOMMISSIONED,
      S.SMI_DEVICE_STATUS_WITHDRAWN,
      S.SMI_DEVICE_STATUS_SUSPENDED,
      S.SMI_DEVICE_STATUS_UNSPECIFIED,
      S.UNRECOGNIZED,
      99 as SmiDeviceStatus,
    ]) {
      expect(allowedIn(status)).toEqual([]);
    }
  });

  it('every SRV the table names exists and is a device SRV', () => {
    for (const srv of [...COMMISSIONING_SRVS, ...RECOVERY_SRVS])
      expect(requireSrv(srv).nonDevice).toBe(false);
  });

  it('non-device SRVs are never status-checked', () => {
    for (const srv of allSrvs().filter((s) => s.nonDevice)) {
      expect(statusAllows(S.SMI_DEVICE_STATUS_DECOMMISSIONED, srv)).toBe(true);
    }
  });
});

describe("registration's answer as a refusal", () => {
  const admitted = (srv: string) => ({
    request: {
      requestId: '90-B3-D5-1F-30-01-00-00:00-DB-12-00-00-00-00-01:1',
      commandVariant: 1,
      serviceReferenceVariant: srv,
      userRole: UserRole.USER_ROLE_IMPORT_SUPPLIER,
      body: undefined,
    },
    id: parseRequestId('90-B3-D5-1F-30-01-00-00:00-DB-12-00-00-00-00-01:1'),
    srv: requireSrv(srv),
  });
  const answer = (responseCode: string, deviceStatus = S.SMI_DEVICE_STATUS_COMMISSIONED) => ({
    responseCode,
    deviceStatus,
    mpxn: '1000000000012',
    tenancyStartMs: 0,
    holdingStartMs: 0,
    deviceType: responseCode === 'E19' ? '' : 'ESME',
    generation: RegistrationMeterKind.REGISTRATION_METER_KIND_SMETS2,
    smets1Cohort: 0,
    cspRegion: 0,
    commsHubId: '',
    gpfId: '',
    esmeVariant: '',
  });
  const code = (fn: () => void) => {
    try {
      fn();
      return 'ok';
    } catch (error) {
      return (error as DccError).responseCode ?? `grpc-${(error as DccError).status}`;
    }
  };

  it('maps ok, E19, E4 and the status rule to ok / E19 / E4 / E5', () => {
    expect(code(() => decide(admitted('4.1.1'), answer('')))).toBe('ok');
    expect(code(() => decide(admitted('4.1.1'), answer('E19')))).toBe('E19');
    expect(code(() => decide(admitted('4.1.1'), answer('E4')))).toBe('E4');
    expect(code(() => decide(admitted('4.1.1'), answer('', S.SMI_DEVICE_STATUS_DECOMMISSIONED)))).toBe('E5');
    expect(code(() => decide(admitted('8.1.1'), answer('', S.SMI_DEVICE_STATUS_WHITELISTED)))).toBe('ok');
    // E4 before E5: a User without the appointment learns nothing about the device's status
    expect(code(() => decide(admitted('4.1.1'), answer('E4', S.SMI_DEVICE_STATUS_DECOMMISSIONED)))).toBe(
      'E4',
    );
    // an answer this hub does not know is not a decision
    expect(code(() => decide(admitted('4.1.1'), answer('E99')))).toBe('grpc-14');
  });

  it('grants the data-segregation limit: the later of holding and tenancy start', () => {
    const ok = { ...answer(''), holdingStartMs: 5_000, tenancyStartMs: 9_000 };
    expect(decide(admitted('4.8.1'), ok)).toMatchObject({ dataFromMs: 9_000 });
    expect(decide(admitted('4.8.1'), { ...ok, tenancyStartMs: 0 })).toMatchObject({ dataFromMs: 5_000 });
  });

  it('takes device type (E11) and delivery path from the inventory', () => {
    const SMETS1 = RegistrationMeterKind.REGISTRATION_METER_KIND_SMETS1;
    expect(decide(admitted('4.1.1'), answer(''))).toMatchObject({ deviceType: 'ESME', path: 's2' });
    const moc = RegistrationSmets1Cohort.REGISTRATION_SMETS1_COHORT_MOC;
    expect(decide(admitted('4.1.1'), { ...answer(''), generation: SMETS1, smets1Cohort: moc })).toMatchObject(
      { path: 's1', smets1Cohort: moc },
    ); // the SMETS1 adapter's DCO works per cohort
    // 4.1.1 reads a meter: not a CHF, nor an HCALCS (E11 whatever the appointment)
    expect(code(() => decide(admitted('4.1.1'), { ...answer(''), deviceType: 'CHF' }))).toBe('E11');
    expect(code(() => decide(admitted('4.1.1'), { ...answer('E4'), deviceType: 'HCALCS' }))).toBe('E11');
    // no generation recorded: no path to deliver on
    const none = { ...answer(''), generation: RegistrationMeterKind.REGISTRATION_METER_KIND_UNSPECIFIED };
    expect(code(() => decide(admitted('4.1.1'), none))).toBe(`grpc-${GrpcStatus.FAILED_PRECONDITION}`);
  });
});
