import { X509Certificate } from 'node:crypto';
import type { DuisSample } from './samples.js';

/** The key id DCC Boxed's supplier registers its rolled signing key under (any id the User chooses). */
export const ROLLED_KEY_ID = 'GITTESTSUPPLIER-2025';

/**
 * DCC's CS02bSupplierBySupplier samples (6.15.1, RemotePartyRole Supplier) have DCC Boxed's supplier replace its
 * own anchor on the ESME with its own Supplier Organisation Certificates (entity 90-B3-D5-1F-30-01-00-00, role
 * 02), for a new signing key and a new top-up key. As a real User registers new keys with the DCC before rolling
 * them onto its meters, the replay's supplier registers both through the hub's user-admin API first: the signing
 * key beside its current one, the top-up key in place of its current one (a User has one, the key 6.23 installs
 * and 6.15.1's top-up certificate must certify). The hub then finds the signing key among the sender's and names
 * it to the device. The private keys are DCC's, so nothing the replay signs after the roll verifies on the ESME:
 * those samples go last (duis-templates.spec.ts).
 */
export function rolledCredentials(samples: readonly DuisSample[]): {
  signingKey: { keyId: string; publicKeyPem: string };
  topUpKeyPem: string;
} {
  const sample = samples.find((s) => s.name === 'CS02bSupplierBySupplier_6.15.1_IMMEDIATE_SUCCESS');
  if (!sample) throw new Error('the CS02bSupplierBySupplier 6.15.1 sample is missing');
  const certificates = sample.body
    .child('ReplacementCertificates')
    .child('SupplierOrNetworkOperatorCertificates');
  const keyOf = (name: string) =>
    new X509Certificate(Buffer.from(certificates.text(name), 'base64')).publicKey
      .export({ type: 'spki', format: 'pem' })
      .toString();
  return {
    signingKey: { keyId: ROLLED_KEY_ID, publicKeyPem: keyOf('DigitalSigningCertificate') },
    topUpKeyPem: keyOf('KeyAgreementTopUpCertificate'),
  };
}
