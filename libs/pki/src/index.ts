export { createDevPki, type DevPki, type PemPair } from './dev-pki.js';
export { readPkiDir, writePkiDir, type PkiFiles } from './pki-files.js';
