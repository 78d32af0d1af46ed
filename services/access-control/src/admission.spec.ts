import { allSrvs, DccError, GrpcStatus, parseEui64, USER_ROLES, type UserRoleCode } from '@dcc/domain';
import type { FleetDevice } from '@dcc/meter';
import { UserRole, type ServiceRequest } from '@dcc/proto';
import { describe, expect, it } from 'vitest';
import { admit } from './admission.js';
import type { DeviceDirectory } from './device-directory.js';
import { UserDirectory } from './user-directory.js';

const WIRE_ROLE: Record<UserRoleCode, UserRole> = {
  IS: UserRole.USER_ROLE_IMPORT_SUPPLIER,
  ES: UserRole.USER_ROLE_EXPORT_SUPPLIER,
  GS: UserRole.USER_ROLE_GAS_SUPPLIER,
  ED: UserRole.USER_ROLE_ELECTRICITY_DISTRIBUTOR,
  GT: UserRole.USER_ROLE_GAS_TRANSPORTER,
  OU: UserRole.USER_ROLE_OTHER_USER,
  RSA: UserRole.USER_ROLE_REGISTERED_SUPPLIER_AGENT,
  MDR: UserRole.USER_ROLE_METER_DATA_RETRIEVER,
};
const USER = parseEui64('90-B3-D5-1F-30-0A-00-00');
const DEVICE = parseEui64('00-DB-12-00-00-00-00-01');
const users = new UserDirectory([{ id: USER, roles: USER_ROLES }]);

/** A directory whose one device has whatever type the SRV under test needs. */
const deviceOfType = (type: FleetDevice['type']): DeviceDirectory => ({
  find: (id) => (id === DEVICE ? { deviceId: DEVICE, type, generation: 'SMETS2' } : undefined),
});

function outcome(request: ServiceRequest, devices: DeviceDirectory): string {
  try {
    admit(request, users, devices);
    return 'admitted';
  } catch (error) {
    const failure = error as DccError;
    return failure.responseCode ?? `grpc-${failure.status}`;
  }
}

const cases = allSrvs().flatMap((srv) => USER_ROLES.map((role) => ({ srv, role })));

describe('every SRV × every role against the catalogue', () => {
  it(`covers all ${cases.length} combinations`, () => {
    expect(cases).toHaveLength(129 * USER_ROLES.length);
  });

  it.each(cases.map((c) => [c.srv.srv, c.role, c] as const))('%s as %s', (_srv, _role, { srv, role }) => {
    const request: ServiceRequest = {
      requestId: `${USER}:${DEVICE}:1`,
      commandVariant: srv.commandVariants[0]!,
      serviceReferenceVariant: srv.srv,
      userRole: WIRE_ROLE[role],
      body: undefined,
    };
    const result = outcome(request, deviceOfType(srv.deviceTypes[0] ?? 'ESME'));
    if (!srv.roles.includes(role)) {
      expect(result).toBe('E2');
    } else if (srv.srv === '4.1.1') {
      expect(result).toBe('admitted');
    } else {
      // Eligible: passes every authorisation check and stops only where the hub has no behaviour yet.
      expect(result).toBe(`grpc-${GrpcStatus.UNIMPLEMENTED}`);
    }
  });
});

describe('device checks', () => {
  const read = (overrides: Partial<ServiceRequest> = {}): ServiceRequest => ({
    requestId: `${USER}:${DEVICE}:1`,
    commandVariant: 1,
    serviceReferenceVariant: '4.1.1',
    userRole: UserRole.USER_ROLE_IMPORT_SUPPLIER,
    body: undefined,
    ...overrides,
  });

  it('refuses an SRV for a device type it does not apply to (E11)', () => {
    expect(outcome(read(), deviceOfType('CHF'))).toBe('E11');
  });

  it('refuses a critical SRV sent without transform (E12)', () => {
    expect(outcome(read({ serviceReferenceVariant: '7.2', commandVariant: 1 }), deviceOfType('ESME'))).toBe(
      'E12',
    );
  });

  it('refuses an unknown device (E19)', () => {
    expect(outcome(read({ requestId: `${USER}:00-DB-12-00-00-00-00-02:1` }), deviceOfType('ESME'))).toBe(
      'E19',
    );
  });
});
