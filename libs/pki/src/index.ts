export {
  createDevPki,
  createSigningKeyPair,
  DEVELOPMENT_OPERATOR_ID,
  DEVELOPMENT_REGISTRATION_PROVIDER_ID,
  type DevPki,
  type PemPair,
  type SigningKeyPair,
} from './dev-pki.js';
export { readPkiDir, writeDcoKey, writePkiDir, writeSigningKey, type PkiFiles } from './pki-files.js';
