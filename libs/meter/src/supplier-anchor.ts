import { normaliseKaPublicKey } from '@dcc/domain';
import { readOrganisationCertificate, REMOTE_PARTY_ROLE_CODES } from '@dcc/pki';
import type { TrustedSupplier } from './meter-state.js';
import { anchorFrom } from './trust-anchors.js';

/**
 * 6.15.1 for the Supplier role (GBCS CS02b "supplierBySupplier"): the supplier credentials its certificates
 * would install, or why the device refuses them. The digital signing and key agreement certificates must fill
 * the Supplier slot (anchorFrom), the top-up one be the same supplier's key agreement certificate, and the
 * supplier be the one the device trusts now: a supplier replaces only its own anchor (6.23 installs another's).
 * The model names the signing anchor by the hub's id of the key the certificate certifies (the id a critical
 * command's signer gives, credentials.ts); the hub resolves it from the sender's registered keys and sends it
 * with the command (`signingKeyId`). The device keeps the signing certificate's public key and verifies the
 * supplier's critical commands with it from then on (critical-verification.ts in meter-delivery), so a key the
 * supplier registered after the adapters started verifies too. The top-up key is the certificate's, which the
 * meter verifies UTRNs with.
 */
export function supplierAnchorFrom(
  certificates: { signing: string; keyAgreement: string; topUp: string },
  signingKeyId: string,
  trusted: TrustedSupplier,
): TrustedSupplier | string {
  const anchor = anchorFrom('supplier', certificates.signing, certificates.keyAgreement);
  if (typeof anchor === 'string') return anchor;
  let signingKey;
  let topUp;
  let topUpKey;
  try {
    signingKey = readOrganisationCertificate(
      Buffer.from(certificates.signing, 'base64'),
      'the digital signing certificate',
    ).publicKeySpki;
    topUp = readOrganisationCertificate(
      Buffer.from(certificates.topUp, 'base64'),
      'the key agreement top-up certificate',
    );
    topUpKey = normaliseKaPublicKey(topUp.publicKeySpki, 'the top-up certificate key');
  } catch (error) {
    return (error as Error).message;
  }
  if (topUp.roleCode !== REMOTE_PARTY_ROLE_CODES.supplier || topUp.entityId !== anchor.entityId) {
    return `the top-up certificate is ${topUp.entityId}'s in role ${topUp.roleCode}, not the supplier ${anchor.entityId}'s`;
  }
  if (topUp.keyUsage !== 'keyAgreement') return 'the top-up certificate is not for key agreement';
  if (anchor.entityId !== trusted.supplierId) {
    return `the certificates are ${anchor.entityId}'s; the device's supplier ${trusted.supplierId} replaces only its own anchor`;
  }
  return { supplierId: anchor.entityId, keyId: signingKeyId, topUpKey, signingKey };
}
