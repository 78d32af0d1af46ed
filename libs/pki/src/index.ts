export {
  createDevPki,
  createDeviceKaSecret,
  createKaKeyPair,
  createSigningKeyPair,
  DEVELOPMENT_OPERATOR_ID,
  DEVELOPMENT_PAYMENT_CHANNEL_ID,
  DEVELOPMENT_REGISTRATION_PROVIDER_ID,
  type DevPki,
  type KaKeyPairPem,
  type PemPair,
  type SigningKeyPair,
} from './dev-pki.js';
export {
  readPkiDir,
  writeDcoKey,
  writeDeviceKaSecret,
  writePkiDir,
  writeSigningKey,
  writeTopUpKey,
  type PkiFiles,
} from './pki-files.js';
export {
  commonValidity,
  readOrganisationCertificate,
  REMOTE_PARTY_ROLE_CODES,
  type CertificateKeyUsage,
  type OrganisationCertificate,
} from './organisation-certificate.js';
export {
  createOrganisationCertificate,
  createOrganisationCertificates,
  type OrganisationCertificateRequest,
  createSupplierCertificates,
  type SupplierCertificateSet,
} from './organisation-certificate-issuer.js';
