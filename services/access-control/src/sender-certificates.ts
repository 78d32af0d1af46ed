import { createPublicKey } from 'node:crypto';
import { DccError, normaliseKaPublicKey } from '@dcc/domain';
import {
  commonValidity,
  readOrganisationCertificate,
  REMOTE_PARTY_ROLE_CODES,
  type CertificateKeyUsage,
  type OrganisationCertificate,
} from '@dcc/pki';
import type { User } from './user-directory.js';

/** A supplier's replacement certificates as 6.23 and 6.15.1 (RemotePartyRole Supplier) carry them (X.509 DER). */
export interface SupplierCertificates {
  digitalSigningCertificate: Uint8Array;
  keyAgreementCertificate: Uint8Array;
  keyAgreementTopUpCertificate: Uint8Array;
  certificationPathCertificates: readonly Uint8Array[];
  applyTimeBasedCpvChecks: boolean;
}

/** What the hub takes from the body's certificates once they prove to be the sender's own. */
export interface SenderCertificates {
  /** The registered signing key the digital signing certificate certifies. */
  keyId: string;
  /** ApplyTimeBasedCPVChecks: the window the replacement certificates are all valid in; '' when not asked. */
  validity: string;
}

/**
 * A supplier's replacement certificates (6.23's SupplierReplacementCertificates, 6.15.1's for the Supplier role)
 * checked against the sender (never an identity taken from the body): each must be an Organisation Certificate
 * for the sender's own entity identifier in the Supplier role with the key usage its place names; the digital
 * signing certificate must certify one of the sender's registered signing keys (the hub names the device's
 * supplier anchor by that key's id) and the top-up certificate its registered top-up KA key, when it has one.
 * The key agreement certificate's key is not registered with the hub (the device model does not use it), so
 * only its subject and usage are checked. The certification path must hold at least one certificate. Anything
 * else: INVALID_ARGUMENT, nothing stored.
 */
export function checkSenderCertificates(
  srv: string,
  asked: SupplierCertificates,
  user: User,
): SenderCertificates {
  const signing = own(srv, asked.digitalSigningCertificate, 'digitalSignature', 'digital signing', user);
  own(srv, asked.keyAgreementCertificate, 'keyAgreement', 'key agreement', user);
  const topUp = own(srv, asked.keyAgreementTopUpCertificate, 'keyAgreement', 'key agreement top-up', user);
  const key = (user.signingKeys ?? []).find((k) => spkiOf(k.publicKeyPem) === signing.publicKeySpki);
  if (!key) {
    throw DccError.invalidArgument(
      `SRV ${srv}: the digital signing certificate certifies none of ${user.id}’s registered signing keys`,
    );
  }
  if (user.topUpKey && normaliseKaPublicKey(user.topUpKey) !== topUp.publicKeySpki) {
    throw DccError.invalidArgument(
      `SRV ${srv}: the key agreement top-up certificate does not certify ${user.id}’s registered top-up key`,
    );
  }
  if (asked.certificationPathCertificates.length === 0) {
    throw DccError.invalidArgument(
      `SRV ${srv}: certification_path_certificates must hold the issuing CA certificate`,
    );
  }
  commonValidity(asked.certificationPathCertificates, 'certification_path_certificates');
  const replacements = [
    asked.digitalSigningCertificate,
    asked.keyAgreementCertificate,
    asked.keyAgreementTopUpCertificate,
  ];
  const validity = asked.applyTimeBasedCpvChecks
    ? commonValidity(replacements, 'the replacement certificates')
    : '';
  return { keyId: key.keyId, validity };
}

function own(
  srv: string,
  der: Uint8Array,
  usage: CertificateKeyUsage,
  what: string,
  user: User,
): OrganisationCertificate {
  const name = `SRV ${srv} ${what} certificate`;
  if (der.length === 0) throw DccError.invalidArgument(`${name} is missing`);
  const cert = readOrganisationCertificate(der, name);
  if (cert.entityId !== user.id) {
    throw DccError.invalidArgument(
      `${name} is for ${cert.entityId}, not the sender ${user.id}: the hub installs only the sender’s own credentials`,
    );
  }
  if (cert.roleCode !== REMOTE_PARTY_ROLE_CODES.supplier) {
    throw DccError.invalidArgument(`${name} is for role ${cert.roleCode}, not Supplier (02)`);
  }
  if (cert.keyUsage !== usage) throw DccError.invalidArgument(`${name} is not for ${usage}`);
  return cert;
}

function spkiOf(pem: string): string | undefined {
  try {
    return createPublicKey(pem).export({ format: 'der', type: 'spki' }).toString('base64');
  } catch {
    return undefined;
  }
}

/**
 * `signing_key_id` as a User may send it: empty (the hub names it) or the key the certificate certifies;
 * another is INVALID_ARGUMENT.
 */
export function checkNamedKey(srv: string, named: string, certified: string): void {
  if (named !== '' && named !== certified) {
    throw DccError.invalidArgument(
      `SRV ${srv}: signing_key_id ${named.slice(0, 64)} is not the key the digital signing certificate certifies (${certified})`,
    );
  }
}
