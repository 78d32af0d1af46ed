import { DccError } from '@dcc/domain';
import {
  HandoverRemotePartyRole,
  type DeviceHandedOver,
  type RequestHandoverOfDccControlledDevice,
} from '@dcc/proto';
import type { HandoverRole, SrvBodyMap, SrvParamMap } from '@dcc/meter';

/* 6.21 between the gRPC body and the device model: the certificates travel to the device as base64 DER. */

const ROLE: Partial<Record<HandoverRemotePartyRole, HandoverRole>> = {
  [HandoverRemotePartyRole.HANDOVER_REMOTE_PARTY_ROLE_SUPPLIER]: 'supplier',
  [HandoverRemotePartyRole.HANDOVER_REMOTE_PARTY_ROLE_NETWORK_OPERATOR]: 'networkOperator',
};
const WIRE_ROLE: Record<HandoverRole, HandoverRemotePartyRole> = {
  supplier: HandoverRemotePartyRole.HANDOVER_REMOTE_PARTY_ROLE_SUPPLIER,
  networkOperator: HandoverRemotePartyRole.HANDOVER_REMOTE_PARTY_ROLE_NETWORK_OPERATOR,
};

const base64 = (der: Uint8Array) => Buffer.from(der).toString('base64');

/** 6.21's body as the device model takes it. */
export function handoverParams(v: RequestHandoverOfDccControlledDevice): SrvParamMap['6.21'] {
  const role = ROLE[v.remotePartyRole];
  if (!role)
    throw DccError.invalidArgument('SRV 6.21: remote_party_role must be SUPPLIER or NETWORK_OPERATOR');
  const topUp =
    v.replacementKeyAgreementTopUpCertificate.length > 0
      ? {
          topUpFloorSeq: v.remotePartyPrepaymentTopUpFloorSeqNumber,
          topUpCertificate: base64(v.replacementKeyAgreementTopUpCertificate),
        }
      : {};
  return {
    role,
    floorSeq: v.remotePartyFloorSeqNumber,
    ...topUp,
    signingCertificate: base64(v.replacementDigitalSigningCertificate),
    keyAgreementCertificate: base64(v.replacementKeyAgreementCertificate),
    certificationPath: v.certificationPathCertificates.map(base64),
    timeBasedChecks: v.applyTimeBasedCpvChecks,
  };
}

/** 6.21's answer: the credentials the device now trusts in that role. */
export function deviceHandedOver(b: SrvBodyMap['6.21']): DeviceHandedOver {
  return {
    remotePartyRole: WIRE_ROLE[b.role],
    remotePartyFloorSeqNumber: b.floorSeq,
    remotePartyPrepaymentTopUpFloorSeqNumber: b.topUpFloorSeq ?? '',
    digitalSigningCertificateSha256: b.signingSha256,
    keyAgreementCertificateSha256: b.keyAgreementSha256,
    keyAgreementTopUpCertificateSha256: b.topUpSha256 ?? '',
    meterTimeMs: b.meterTimeMs,
  };
}
