import { REMOTE_PARTY_ROLES, type RemotePartyRole } from '../security-credentials.js';
import { dateTime, unsigned64, type BodyFields, type BodyRule } from './body-rules.js';

/*
 * What the hub checks in a credential replacement's body before I99 (6.15.1, 6.15.2). Whether the device takes
 * the certificates (who signed, whose key, which slot) is the device's to decide (libs/meter trust-anchors.ts).
 */

/**
 * The remote party roles whose trust anchors a User may replace with 6.15.1: its own (Supplier, Network
 * Operator, ACB; GBCS CS02b) and the Load Controller's, which the supplier replaces (GBCS CS02g). The SMKI
 * root, recovery, WAN provider and CoS anchors are the DCC's.
 */
export const REPLACEABLE_ROLES: readonly RemotePartyRole[] = [
  'supplier',
  'networkOperator',
  'accessControlBroker',
  'loadController',
];

const roleOf = (fields: BodyFields): RemotePartyRole | undefined =>
  REMOTE_PARTY_ROLES[Number(fields['remotePartyRole']) - 1];

const bytesOf = (value: unknown): number => (value instanceof Uint8Array ? value.length : 0);

const replaceableRole: BodyRule = (fields) => {
  const role = roleOf(fields);
  return role && REPLACEABLE_ROLES.includes(role)
    ? undefined
    : `remotePartyRole must be ${REPLACEABLE_ROLES.join(' or ')}`;
};

/** Only the supplier's anchors have a prepayment top-up cell (GBCS: the KeyAgreementTopUp certificate). */
const topUpOnlyForSupplier: BodyRule = (fields) => {
  const supplier = roleOf(fields) === 'supplier';
  const certificates = (fields['replacementCertificates'] ?? {}) as BodyFields;
  const floor = fields['remotePartyPrepaymentTopUpFloorSeqNumber'];
  const hasFloor = typeof floor === 'string' && floor !== '';
  const hasTopUp = bytesOf(certificates['keyAgreementTopUpCertificate']) > 0;
  if (supplier && (!hasFloor || !hasTopUp)) {
    return 'a Supplier replacement needs remotePartyPrepaymentTopUpFloorSeqNumber and keyAgreementTopUpCertificate';
  }
  if (!supplier && (hasFloor || hasTopUp)) {
    return 'only a Supplier replacement carries a prepayment top-up floor or certificate';
  }
  return supplier ? unsigned64('remotePartyPrepaymentTopUpFloorSeqNumber')(fields) : undefined;
};

/** The hub names the signing key only of the supplier's own anchor (access control's supplier-anchor.ts). */
const signingKeyOnlyForSupplier: BodyRule = (fields) =>
  roleOf(fields) !== 'supplier' && typeof fields['signingKeyId'] === 'string' && fields['signingKeyId'] !== ''
    ? 'only a Supplier replacement names a signing_key_id'
    : undefined;

const replacementCertificates: BodyRule = (fields) => {
  const certificates = (fields['replacementCertificates'] ?? {}) as BodyFields;
  const missing = ['digitalSigningCertificate', 'keyAgreementCertificate'].filter(
    (name) => bytesOf(certificates[name]) === 0,
  );
  return missing.length > 0 ? `replacementCertificates needs ${missing.join(' and ')}` : undefined;
};

const certificationPath: BodyRule = (fields) => {
  const path = fields['certificationPathCertificates'];
  return Array.isArray(path) && path.length > 0 && path.every((c) => bytesOf(c) > 0)
    ? undefined
    : 'certificationPathCertificates must hold the issuing CA certificate';
};

/** 6.15.1 Update Security Credentials (KRP). */
export const remotePartyReplacementRules: readonly BodyRule[] = [
  replaceableRole,
  unsigned64('remotePartyFloorSeqNumber'),
  topUpOnlyForSupplier,
  signingKeyOnlyForSupplier,
  replacementCertificates,
  certificationPath,
  dateTime('executionDateTimeMs', true),
];

/** 6.15.2 Update Security Credentials (Device): the new Device Certificate. */
export const deviceCertificateRules: readonly BodyRule[] = [
  (fields) => (bytesOf(fields['deviceCertificate']) > 0 ? undefined : 'deviceCertificate is missing'),
];
