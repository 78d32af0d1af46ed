import { requireSrv } from '@dcc/domain';
import { MeterHarness, type SupportedSrv } from '@dcc/meter';
import {
  SecurityCellUsage,
  SecurityCredentialsStatus,
  SecurityCredentialType,
  SecurityRemotePartyRole,
  ServiceResponse,
  UserRole,
  type ServiceRequest,
} from '@dcc/proto';
import { describe, expect, it } from 'vitest';
import { credentialTypeParams, remotePartyRolesParams } from './security-credentials-wire.js';
import { responseOf } from './srv-results.js';

const DEVICE = '00-DB-12-00-00-00-00-2A';
const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
const START = Date.UTC(2026, 2, 2, 13, 17);

const request = (srv: string, counter: number): ServiceRequest => ({
  requestId: `${SUPPLIER}:${DEVICE}:${counter}`,
  commandVariant: requireSrv(srv).critical ? 5 : 1,
  serviceReferenceVariant: srv,
  userRole: UserRole.USER_ROLE_IMPORT_SUPPLIER,
  body: undefined,
});
const overTheWire = (r: ServiceResponse) => ServiceResponse.decode(ServiceResponse.encode(r).finish());

describe('6.17, 6.24.1 and 6.24.2 on the wire', () => {
  const meter = new MeterHarness(DEVICE as never, 0, START);
  let counter = 1;
  const answer = (srv: string, params: unknown) =>
    overTheWire(responseOf(request(srv, counter++), meter.send(srv as SupportedSrv, params as never), START));

  it('6.17: the certification request, key and signature as bytes', () => {
    const response = answer('6.17', { credentialType: 'keyAgreement' });
    expect(response.responseCode).toBe('I0');
    expect(response.body?.$case).toBe('securityCredentialsIssued');
    const value = response.body?.$case === 'securityCredentialsIssued' ? response.body.value : undefined;
    expect(value).toMatchObject({
      deviceId: DEVICE,
      credentialType: SecurityCredentialType.SECURITY_CREDENTIAL_TYPE_KEY_AGREEMENT,
      meterTimeMs: START,
    });
    expect(value!.publicKey.length).toBe(91); // P-256 SubjectPublicKeyInfo DER
    expect(value!.signature.length).toBeGreaterThan(60);
  });

  it('6.24.1: per party its status, sequence number and cells', () => {
    const response = answer('6.24.1', { remotePartyRoles: ['supplier', 'loadController'] });
    expect(response.body).toMatchObject({
      $case: 'remotePartyCredentials',
      value: {
        parties: [
          {
            remotePartyRole: SecurityRemotePartyRole.SECURITY_REMOTE_PARTY_ROLE_SUPPLIER,
            status: SecurityCredentialsStatus.SECURITY_CREDENTIALS_STATUS_SUCCESS,
            cells: [
              {
                credentialType: SecurityCredentialType.SECURITY_CREDENTIAL_TYPE_DIGITAL_SIGNATURE,
                cellUsage: SecurityCellUsage.SECURITY_CELL_USAGE_MANAGEMENT,
                subjectUniqueId: SUPPLIER,
                subjectKeyIdentifier: '1',
              },
              {
                credentialType: SecurityCredentialType.SECURITY_CREDENTIAL_TYPE_KEY_AGREEMENT,
                cellUsage: SecurityCellUsage.SECURITY_CELL_USAGE_PREPAYMENT_TOP_UP,
                subjectUniqueId: SUPPLIER,
              },
            ],
          },
          {
            remotePartyRole: SecurityRemotePartyRole.SECURITY_REMOTE_PARTY_ROLE_LOAD_CONTROLLER,
            status: SecurityCredentialsStatus.SECURITY_CREDENTIALS_STATUS_TRUST_ANCHOR_NOT_FOUND,
            currentSeqNumber: '',
            cells: [],
          },
        ],
        meterTimeMs: START,
      },
    });
  });

  it('6.24.2: the certified key of the usage asked for', () => {
    const response = answer('6.24.2', { credentialType: 'keyAgreement' });
    expect(response.body).toMatchObject({
      $case: 'deviceCertificate',
      value: {
        deviceId: DEVICE,
        credentialType: SecurityCredentialType.SECURITY_CREDENTIAL_TYPE_KEY_AGREEMENT,
        publicKey: meter.kaKeys.keyPair(DEVICE).publicKey.export({ type: 'spki', format: 'der' }),
      },
    });
  });

  it('refuses an unspecified usage or role before the device (INVALID_ARGUMENT)', () => {
    const unspecified = SecurityCredentialType.SECURITY_CREDENTIAL_TYPE_UNSPECIFIED;
    expect(() => credentialTypeParams('6.17', { credentialType: unspecified })).toThrow(/DIGITAL_SIGNATURE/);
    expect(() => remotePartyRolesParams({ remotePartyRoles: [] })).toThrow(/known roles/);
    expect(() =>
      remotePartyRolesParams({
        remotePartyRoles: [SecurityRemotePartyRole.SECURITY_REMOTE_PARTY_ROLE_UNSPECIFIED],
      }),
    ).toThrow(/known roles/);
  });
});
