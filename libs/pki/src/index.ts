export {
  createDevPki,
  createSigningKeyPair,
  type DevPki,
  type PemPair,
  type SigningKeyPair,
} from './dev-pki.js';
export { readPkiDir, writePkiDir, writeSigningKey, type PkiFiles } from './pki-files.js';
