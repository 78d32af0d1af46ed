import { CREDENTIAL_TYPES, DccError, REMOTE_PARTY_ROLES } from '@dcc/domain';
import { commonValidity } from '@dcc/pki';
import type { SrvBodyMap, SrvParamMap, TrustAnchorCell } from '@dcc/meter';
import {
  SecurityCellUsage,
  SecurityCredentialsStatus,
  SecurityCredentialType,
  SecurityRemotePartyRole,
  type IssueSecurityCredentials,
  type ServiceOptOut,
  type UpdateSecurityCredentials,
  type RetrieveDeviceSecurityCredentialsKrp,
  type SecurityCertificationRequest,
  type SecurityDeviceCertificate,
  type SecurityRemotePartyCredentials,
  type SecurityTrustAnchorCell,
  type RemotePartyCredentialsUpdated,
  type UpdateSecurityCredentialsKrp,
} from '@dcc/proto';

// The wire enums number the domain's lists from 1 (security_credentials_read.proto; the body rules check it).
const credentialTypeOf = (wire: SecurityCredentialType) => CREDENTIAL_TYPES[wire - 1];
const roleOf = (wire: SecurityRemotePartyRole) => REMOTE_PARTY_ROLES[wire - 1];
const wireType = (type: (typeof CREDENTIAL_TYPES)[number]): SecurityCredentialType =>
  CREDENTIAL_TYPES.indexOf(type) + 1;
const wireRole = (role: (typeof REMOTE_PARTY_ROLES)[number]): SecurityRemotePartyRole =>
  REMOTE_PARTY_ROLES.indexOf(role) + 1;

/** 6.17, 6.24.2's body as the device model takes it. */
export function credentialTypeParams(srv: string, v: IssueSecurityCredentials): SrvParamMap['6.17'] {
  const credentialType = credentialTypeOf(v.credentialType);
  if (!credentialType) {
    throw DccError.invalidArgument(`SRV ${srv}: credential_type must be DIGITAL_SIGNATURE or KEY_AGREEMENT`);
  }
  return { credentialType };
}

/** 6.24.1's body as the device model takes it. */
export function remotePartyRolesParams(v: RetrieveDeviceSecurityCredentialsKrp): SrvParamMap['6.24.1'] {
  const roles = v.remotePartyRoles.map(roleOf);
  if (roles.length === 0 || roles.some((role) => role === undefined)) {
    throw DccError.invalidArgument('SRV 6.24.1: remote_party_roles must list known roles');
  }
  return { remotePartyRoles: roles as SrvParamMap['6.24.1']['remotePartyRoles'] };
}

const bytes = (base64: string) => Buffer.from(base64, 'base64');
const base64 = (der: Uint8Array) => Buffer.from(der).toString('base64');

/**
 * 6.15.1's body as the device model takes it (certificates as base64 DER; '' for an absent top-up one). The
 * Supplier role's carries the signing key id access control resolved (supplier-anchor.ts).
 */
export function remotePartyReplacementParams(v: UpdateSecurityCredentialsKrp): SrvParamMap['6.15.1'] {
  const remotePartyRole = roleOf(v.remotePartyRole);
  if (!remotePartyRole) throw DccError.invalidArgument('SRV 6.15.1: remote_party_role must be a known role');
  const certificates = v.replacementCertificates;
  return {
    remotePartyRole,
    floorSeqNumber: v.remotePartyFloorSeqNumber,
    topUpFloorSeqNumber: v.remotePartyPrepaymentTopUpFloorSeqNumber,
    digitalSigningCertificate: base64(certificates?.digitalSigningCertificate ?? new Uint8Array()),
    keyAgreementCertificate: base64(certificates?.keyAgreementCertificate ?? new Uint8Array()),
    keyAgreementTopUpCertificate: base64(certificates?.keyAgreementTopUpCertificate ?? new Uint8Array()),
    certificationPathCertificates: v.certificationPathCertificates.map(base64),
    applyTimeBasedCpvChecks: v.applyTimeBasedCpvChecks,
    ...(v.signingKeyId === '' ? {} : { signingKeyId: v.signingKeyId }),
  };
}

/** 6.17's answer: the certification request for the new key pair. */
export function certificationRequest(b: SrvBodyMap['6.17']): SecurityCertificationRequest {
  return {
    deviceId: b.deviceId,
    credentialType: wireType(b.credentialType),
    publicKey: bytes(b.publicKey),
    signature: bytes(b.signature),
    meterTimeMs: b.meterTimeMs,
  };
}

const cell = (c: TrustAnchorCell): SecurityTrustAnchorCell => ({
  credentialType: wireType(c.credentialType),
  cellUsage:
    c.cellUsage === 'management'
      ? SecurityCellUsage.SECURITY_CELL_USAGE_MANAGEMENT
      : SecurityCellUsage.SECURITY_CELL_USAGE_PREPAYMENT_TOP_UP,
  subjectUniqueId: c.subjectUniqueId,
  subjectKeyIdentifier: c.subjectKeyIdentifier,
});

/** 6.24.1's answer: per party asked for, its status, sequence number and cells. */
export function remotePartyCredentials(b: SrvBodyMap['6.24.1']): SecurityRemotePartyCredentials {
  return {
    parties: b.parties.map((party) => ({
      remotePartyRole: wireRole(party.remotePartyRole),
      status:
        party.status === 'success'
          ? SecurityCredentialsStatus.SECURITY_CREDENTIALS_STATUS_SUCCESS
          : SecurityCredentialsStatus.SECURITY_CREDENTIALS_STATUS_TRUST_ANCHOR_NOT_FOUND,
      currentSeqNumber: party.currentSeqNumber,
      cells: party.cells.map(cell),
    })),
    meterTimeMs: b.meterTimeMs,
  };
}

/** 6.24.2's answer: the device's certificate of the usage asked for. */
export function deviceCertificate(b: SrvBodyMap['6.24.2']): SecurityDeviceCertificate {
  return {
    deviceId: b.deviceId,
    credentialType: wireType(b.credentialType),
    publicKey: bytes(b.publicKey),
    meterTimeMs: b.meterTimeMs,
  };
}

/** 6.15.1's answer: the party whose anchors the device replaced. */
export function remotePartyUpdated(b: SrvBodyMap['6.15.1']): RemotePartyCredentialsUpdated {
  return { remotePartyRole: wireRole(b.remotePartyRole), meterTimeMs: b.meterTimeMs };
}

/**
 * 6.23: the CoS party's signature and the top-up key it signed travel to the meter, which installs nothing
 * without them; with time-based checks asked for, the device reads its certificates' validity window.
 */
export function credentialSwapParams(v: UpdateSecurityCredentials): unknown {
  const { supplierId, signingKeyId, topUpFloor, cosSignature } = v;
  const certificates = [
    v.digitalSigningCertificate,
    v.keyAgreementCertificate,
    v.keyAgreementTopUpCertificate,
  ];
  const validity = v.applyTimeBasedCpvChecks
    ? { validity: commonValidity(certificates, 'SRV 6.23 replacement certificates') }
    : {};
  return {
    supplierId,
    signingKeyId,
    topUpFloor,
    topUpKey: base64(v.topUpKey),
    supplierFloor: v.supplierFloorSeqNumber,
    ...validity,
    ...(cosSignature.length > 0 ? { cosSignature: base64(cosSignature) } : {}),
  };
}

/** 8.5: the replacement ACB's credentials travel to the device, which validates the certificate path. */
export function optOutParams(v: ServiceOptOut): unknown {
  return {
    acbFloorSeq: v.acbFloorSeqNumber,
    certificate: base64(v.replacementKeyAgreementCertificate),
    certificationPath: v.certificationPathCertificates.map(base64),
    timeBasedChecks: v.applyTimeBasedCpvChecks,
  };
}
