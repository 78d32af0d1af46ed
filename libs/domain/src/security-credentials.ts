import { createHash } from 'node:crypto';

/**
 * The vocabulary of the security credentials a device holds (SRVs 6.17, 6.24.1, 6.24.2; GBCS CS02a, CS02c,
 * CS02e), shared by the hub's body rules, the wire mapping and the device model so they cannot disagree.
 */

/** DUIS CredentialType, GBCS KeyUsage: a device's two key pairs. */
export const CREDENTIAL_TYPES = ['digitalSignature', 'keyAgreement'] as const;
export type CredentialType = (typeof CREDENTIAL_TYPES)[number];

/**
 * DUIS RemotePartyRole: the parties whose trust anchors a device may hold, in GBCS RemotePartyRole order. DCC's
 * samples name Supplier, NetworkOperator and LoadController; the other spellings follow GBCS's role names
 * (inferred).
 */
export const REMOTE_PARTY_ROLES = [
  'root',
  'recovery',
  'supplier',
  'networkOperator',
  'accessControlBroker',
  'transCoS',
  'wanProvider',
  'loadController',
] as const;
export type RemotePartyRole = (typeof REMOTE_PARTY_ROLES)[number];

const TAG = 'dcc.v1.CertificationRequest';

/**
 * The bytes a device signs with a newly generated private key to prove it holds it (6.17, the content of GBCS
 * CS02c's Certification Request): device id, key usage and the new public key (base64 SPKI DER), newline
 * separated after a domain-separation tag. None of them can hold a newline.
 */
export function certificationRequestPayload(
  deviceId: string,
  credentialType: CredentialType,
  publicKeySpkiDer: Uint8Array,
): Uint8Array {
  const key = Buffer.from(publicKeySpkiDer).toString('base64');
  return new TextEncoder().encode([TAG, deviceId, credentialType, key].join('\n'));
}

/**
 * How the model names a public key a device holds (GBCS Subject Key Identifier, 8 octets): the first 8 octets
 * of SHA-256 over its SubjectPublicKeyInfo DER, as 16 upper-case hex digits (inferred form; a deterministic
 * digest, no key material held).
 */
export function subjectKeyIdentifier(publicKeySpkiDer: Uint8Array): string {
  return createHash('sha256').update(publicKeySpkiDer).digest('hex').slice(0, 16).toUpperCase();
}
