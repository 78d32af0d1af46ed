import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createPublicKey, generateKeyPairSync, webcrypto } from 'node:crypto';
import type { CertificateKeyUsage } from './organisation-certificate.js';

const ALGORITHM = { name: 'ECDSA', hash: 'SHA-256', namedCurve: 'P-256' } as const;
const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

/** What an Organisation Certificate is to say: whose key, in which role, for which use. */
export interface OrganisationCertificateRequest {
  /** The party's EUI-64 ("90-B3-D5-1F-30-01-00-00"). */
  entityId: string;
  /** GBCS Remote Party Role code, e.g. "02" for a supplier (REMOTE_PARTY_ROLE_CODES). */
  roleCode: string;
  keyUsage: CertificateKeyUsage;
  /** The public key to certify (SPKI PEM, EC P-256). */
  publicKeyPem: string;
}

/**
 * An Organisation Certificate (X.509 DER) in the SMKI shape (subject OU = role, x500UniqueIdentifier = entity
 * identifier, one key usage), issued by a throw-away issuing authority ("OU=07"): for development Users and tests,
 * which have no SMKI. Returns the certificate and the issuer's certificate (the certification path).
 */
export async function createOrganisationCertificate(
  request: OrganisationCertificateRequest,
): Promise<{ certificate: Buffer; issuer: Buffer }> {
  const { certificates, issuer } = await createOrganisationCertificates([request]);
  return { certificate: certificates[0]!, issuer };
}

/** Several Organisation Certificates under one throw-away issuing authority (one certification path). */
export async function createOrganisationCertificates(
  requests: readonly OrganisationCertificateRequest[],
): Promise<{ certificates: Buffer[]; issuer: Buffer }> {
  const issuerKeys = (await webcrypto.subtle.generateKey(ALGORITHM, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const notBefore = new Date(Date.now() - YEAR_MS);
  const notAfter = new Date(Date.now() + 10 * YEAR_MS);
  const issuerName = 'OU=07, CN=Z1';
  const issuer = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: issuerName,
    notBefore,
    notAfter,
    keys: issuerKeys,
    signingAlgorithm: ALGORITHM,
    extensions: [new x509.BasicConstraintsExtension(true, 0, true)],
  });
  const certificates = await Promise.all(
    requests.map(async (request, i) => {
      const spki = createPublicKey(request.publicKeyPem).export({ format: 'der', type: 'spki' });
      const publicKey = await webcrypto.subtle.importKey('spki', spki, ALGORITHM, true, ['verify']);
      const eui = request.entityId.replace(/-/g, '').toLowerCase();
      const usage =
        request.keyUsage === 'digitalSignature'
          ? x509.KeyUsageFlags.digitalSignature
          : x509.KeyUsageFlags.keyAgreement;
      const certificate = await x509.X509CertificateGenerator.create({
        serialNumber: (i + 2).toString(16).padStart(2, '0'),
        subject: [{ OU: [request.roleCode] }, { '2.5.4.45': [`#030900${eui}`] }],
        issuer: issuerName,
        notBefore,
        notAfter,
        publicKey,
        signingKey: issuerKeys.privateKey,
        signingAlgorithm: ALGORITHM,
        extensions: [new x509.KeyUsagesExtension(usage, true)],
      });
      return Buffer.from(certificate.rawData);
    }),
  );
  return { certificates, issuer: Buffer.from(issuer.rawData) };
}

/** A supplier's replacement certificates as 6.23 and 6.15.1 carry them (DUIS field names). */
export interface SupplierCertificateSet {
  digitalSigningCertificate: Buffer;
  keyAgreementCertificate: Buffer;
  keyAgreementTopUpCertificate: Buffer;
  certificationPathCertificates: Buffer[];
}

/**
 * Supplier Organisation Certificates (role 02) for a development User or a test: its signing key, a fresh key
 * agreement key and its top-up KA key (public keys, PEM), with the issuing authority as the certification path.
 */
export async function createSupplierCertificates(supplier: {
  supplierId: string;
  signingKeyPem: string;
  topUpKeyPem: string;
}): Promise<SupplierCertificateSet> {
  const { supplierId: entityId, signingKeyPem, topUpKeyPem } = supplier;
  const ka = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey;
  const kaPem = ka.export({ type: 'spki', format: 'pem' }).toString();
  const roleCode = '02';
  // One issuing authority for the three, so the one path certificate validates each (as a device checks 6.15.1).
  const { certificates, issuer } = await createOrganisationCertificates([
    { entityId, roleCode, keyUsage: 'digitalSignature', publicKeyPem: signingKeyPem },
    { entityId, roleCode, keyUsage: 'keyAgreement', publicKeyPem: kaPem },
    { entityId, roleCode, keyUsage: 'keyAgreement', publicKeyPem: topUpKeyPem },
  ]);
  const [signing, agreement, topUp] = certificates as [Buffer, Buffer, Buffer];
  return {
    digitalSigningCertificate: signing,
    keyAgreementCertificate: agreement,
    keyAgreementTopUpCertificate: topUp,
    certificationPathCertificates: [issuer],
  };
}
