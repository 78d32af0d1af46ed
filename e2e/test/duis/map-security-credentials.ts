import { SecurityCredentialType, SecurityRemotePartyRole } from '@dcc/proto';
import { Unexpressible, type BodyReader } from './body-reader.js';
import type { SampleMapper } from './map-common.js';

/** DUIS CredentialType as the API numbers it. */
const CREDENTIAL_TYPES: Readonly<Record<string, SecurityCredentialType>> = {
  'Digital Signature': SecurityCredentialType.SECURITY_CREDENTIAL_TYPE_DIGITAL_SIGNATURE,
  'Key Agreement': SecurityCredentialType.SECURITY_CREDENTIAL_TYPE_KEY_AGREEMENT,
};

/** DUIS RemotePartyRole as the API numbers it. */
export const ROLES: Readonly<Record<string, SecurityRemotePartyRole>> = {
  Root: SecurityRemotePartyRole.SECURITY_REMOTE_PARTY_ROLE_ROOT,
  Recovery: SecurityRemotePartyRole.SECURITY_REMOTE_PARTY_ROLE_RECOVERY,
  Supplier: SecurityRemotePartyRole.SECURITY_REMOTE_PARTY_ROLE_SUPPLIER,
  NetworkOperator: SecurityRemotePartyRole.SECURITY_REMOTE_PARTY_ROLE_NETWORK_OPERATOR,
  AccessControlBroker: SecurityRemotePartyRole.SECURITY_REMOTE_PARTY_ROLE_ACCESS_CONTROL_BROKER,
  TransCoS: SecurityRemotePartyRole.SECURITY_REMOTE_PARTY_ROLE_TRANS_COS,
  WANProvider: SecurityRemotePartyRole.SECURITY_REMOTE_PARTY_ROLE_WAN_PROVIDER,
  LoadController: SecurityRemotePartyRole.SECURITY_REMOTE_PARTY_ROLE_LOAD_CONTROLLER,
};

export function lookup<T>(table: Readonly<Record<string, T>>, what: string, text: string): T {
  const value = table[text];
  if (value === undefined) throw new Unexpressible(`${what} "${text}" has no API value`);
  return value;
}

const credentialType = (body: BodyReader) =>
  lookup(CREDENTIAL_TYPES, 'CredentialType', body.text('CredentialType'));

/** The security credentials a device holds: 6.17 issue, 6.24.1 and 6.24.2 retrieve. */
export const SECURITY_CREDENTIALS_MAPPERS: Record<string, SampleMapper> = {
  '6.17': (body) => ({ $case: 'issueSecurityCredentials', value: { credentialType: credentialType(body) } }),
  '6.24.1': (body) => ({
    $case: 'retrieveDeviceSecurityCredentialsKrp',
    value: {
      remotePartyRoles: body
        .children('RemotePartyRole')
        .map((role) => lookup(ROLES, 'RemotePartyRole', role.value())),
    },
  }),
  '6.24.2': (body) => ({
    $case: 'retrieveDeviceSecurityCredentialsDevice',
    value: { credentialType: credentialType(body) },
  }),
};
