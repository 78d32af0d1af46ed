import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createPublicKey } from 'node:crypto';
import { DccError, eui64FromBigInt, type Eui64 } from '@dcc/domain';

/**
 * SMKI Organisation Certificate roles: the subject's OU, the GBCS Remote Party Role code of the party the
 * certificate is for. DCC's CS02b/CS02g samples carry 02 (supplier), 03 (network operator), 04 (access control
 * broker) and 08 (load controller), issued under OU 07 (the issuing authority).
 */
export const REMOTE_PARTY_ROLE_CODES = {
  supplier: '02',
  networkOperator: '03',
  accessControlBroker: '04',
  loadController: '08',
} as const;

export type CertificateKeyUsage = 'digitalSignature' | 'keyAgreement';

/** What a hub or device reads from an Organisation Certificate before trusting it. */
export interface OrganisationCertificate {
  /** The subject's entity identifier (x500UniqueIdentifier): the party's EUI-64. */
  entityId: Eui64;
  /** The subject's OU: the GBCS Remote Party Role code, e.g. "02". */
  roleCode: string;
  /** The one key usage an Organisation Certificate carries. */
  keyUsage: CertificateKeyUsage;
  /** The certified public key, base64 SPKI DER (comparable with a registered key). */
  publicKeySpki: string;
  notBeforeMs: number;
  notAfterMs: number;
}

const UNIQUE_IDENTIFIER = '2.5.4.45';

/**
 * Reads an Organisation Certificate (X.509 DER) as SMKI profiles it: one OU, an x500UniqueIdentifier holding the
 * 8-byte entity identifier (a BIT STRING), exactly one of digitalSignature or keyAgreement, an EC P-256 key.
 * Anything else is INVALID_ARGUMENT with `what` in the message.
 */
export function readOrganisationCertificate(der: Uint8Array, what: string): OrganisationCertificate {
  let cert: x509.X509Certificate;
  try {
    cert = new x509.X509Certificate(Buffer.from(der));
  } catch (error) {
    throw DccError.invalidArgument(`${what} is not an X.509 certificate: ${(error as Error).message}`);
  }
  const roleCodes = cert.subjectName.getField('OU');
  if (roleCodes.length !== 1)
    throw DccError.invalidArgument(`${what}: the subject names no single role (OU)`);
  const entityId = entityIdOf(cert.subjectName.getField(UNIQUE_IDENTIFIER), what);
  const usages = cert.getExtension(x509.KeyUsagesExtension)?.usages ?? 0;
  const keyUsage =
    usages === x509.KeyUsageFlags.digitalSignature
      ? 'digitalSignature'
      : usages === x509.KeyUsageFlags.keyAgreement
        ? 'keyAgreement'
        : undefined;
  if (!keyUsage) {
    throw DccError.invalidArgument(`${what}: key usage must be digitalSignature or keyAgreement alone`);
  }
  const key = createPublicKey({ key: Buffer.from(cert.publicKey.rawData), format: 'der', type: 'spki' });
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw DccError.invalidArgument(`${what}: the certified key is not EC P-256`);
  }
  return {
    entityId,
    roleCode: roleCodes[0]!,
    keyUsage,
    publicKeySpki: key.export({ format: 'der', type: 'spki' }).toString('base64'),
    notBeforeMs: cert.notBefore.getTime(),
    notAfterMs: cert.notAfter.getTime(),
  };
}

/** "0309 00 <8 bytes>" (with or without "#"): a DER BIT STRING with no unused bits holding the EUI-64. */
function entityIdOf(values: string[], what: string): Eui64 {
  const hex = values.length === 1 ? /^#?0309([0-9a-f]{18})$/i.exec(values[0]!)?.[1] : undefined;
  if (!hex || !hex.startsWith('00')) {
    throw DccError.invalidArgument(`${what}: the subject holds no 8-byte entity identifier`);
  }
  return eui64FromBigInt(BigInt(`0x${hex.slice(2)}`));
}

/**
 * The window every certificate of a set is valid in (latest notBefore to earliest notAfter), as the credential
 * swap signs it ("from-to", UTC milliseconds): what a device checks its clock against when the sender asked for
 * time-based certification path checks. Each must be an X.509 certificate (INVALID_ARGUMENT otherwise).
 */
export function commonValidity(ders: readonly Uint8Array[], what: string): string {
  let from = -Infinity;
  let to = Infinity;
  for (const [i, der] of ders.entries()) {
    let cert: x509.X509Certificate;
    try {
      cert = new x509.X509Certificate(Buffer.from(der));
    } catch (error) {
      throw DccError.invalidArgument(
        `${what}[${i}] is not an X.509 certificate: ${(error as Error).message}`,
      );
    }
    from = Math.max(from, cert.notBefore.getTime());
    to = Math.min(to, cert.notAfter.getTime());
  }
  if (ders.length === 0) throw DccError.invalidArgument(`${what}: no certificate`);
  return `${from}-${to}`;
}
