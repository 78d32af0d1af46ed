import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DevPki, KaKeyPairPem, SigningKeyPair } from './dev-pki.js';

/** Where each file of a PKI directory is (the layout `npm start` and the services' TLS settings use). */
export interface PkiFiles {
  caCertificate: string;
  serverCertificate: string;
  serverKey: string;
  userCertificate(userId: string): string;
  userKey(userId: string): string;
  /** The User's pre-command signing key (PKCS#8 PEM) and its public key (SPKI PEM). */
  userSigningKey(userId: string): string;
  userSigningPublicKey(userId: string): string;
  /** The User's prepayment top-up KA key (PKCS#8 PEM) and its public key (SPKI PEM). */
  userTopUpKey(userId: string): string;
  userTopUpPublicKey(userId: string): string;
  /** The devices' KA provisioning secret (base64; the adapters' DEVICE_KA_SECRET_FILE). */
  deviceKaSecret: string;
  /** The CoS party's signing key (PKCS#8 PEM; access-control's COS_PARTY_KEY_FILE). */
  cosPartyKey: string;
  /** Its public key (SPKI PEM; the SMETS2 adapter's COS_PARTY_PUBLIC_KEY_FILE, which its meters trust). */
  cosPartyPublicKey: string;
  /** The DCO's countersigning key (PKCS#8 PEM; the SMETS1 adapter's DCO_KEY_FILE). */
  dcoKey: string;
  /** Its public key (SPKI PEM; DCO_PUBLIC_KEY_FILE, which the SMETS1 device path verifies with). */
  dcoPublicKey: string;
}

export function pkiFiles(dir: string): PkiFiles {
  return {
    caCertificate: join(dir, 'ca.pem'),
    serverCertificate: join(dir, 'server.pem'),
    serverKey: join(dir, 'server.key'),
    userCertificate: (id) => join(dir, 'users', `${id}.pem`),
    userKey: (id) => join(dir, 'users', `${id}.key`),
    userSigningKey: (id) => join(dir, 'users', `${id}.signing.key`),
    userSigningPublicKey: (id) => join(dir, 'users', `${id}.signing.pub`),
    userTopUpKey: (id) => join(dir, 'users', `${id}.topup.key`),
    userTopUpPublicKey: (id) => join(dir, 'users', `${id}.topup.pub`),
    deviceKaSecret: join(dir, 'device-ka.secret'),
    cosPartyKey: join(dir, 'cos-party.key'),
    cosPartyPublicKey: join(dir, 'cos-party.pub'),
    dcoKey: join(dir, 'dco.key'),
    dcoPublicKey: join(dir, 'dco.pub'),
  };
}

/** Writes the PKI (private keys readable by the owner only) and returns where each file is. */
export function writePkiDir(dir: string, pki: DevPki): PkiFiles {
  const files = pkiFiles(dir);
  mkdirSync(join(dir, 'users'), { recursive: true });
  const put = (path: string, text: string, secret = false) => {
    writeFileSync(path, text);
    if (secret) chmodSync(path, 0o600);
  };
  put(files.caCertificate, pki.ca.certificate);
  put(join(dir, 'ca.key'), pki.ca.privateKey, true);
  put(files.serverCertificate, pki.server.certificate);
  put(files.serverKey, pki.server.privateKey, true);
  for (const [id, pair] of Object.entries(pki.users)) {
    put(files.userCertificate(id), pair.certificate);
    put(files.userKey(id), pair.privateKey, true);
  }
  for (const [id, key] of Object.entries(pki.signingKeys ?? {})) writeSigningKey(files, id, key);
  for (const [id, key] of Object.entries(pki.topUpKeys ?? {})) writeTopUpKey(files, id, key);
  writeDeviceKaSecret(files, pki.deviceKaSecret);
  put(files.cosPartyPublicKey, pki.cosParty.publicKeyPem);
  put(files.cosPartyKey, pki.cosParty.privateKeyPem, true);
  writeDcoKey(files, pki.dco);
  return files;
}

/**
 * Writes the DCO's countersigning key pair (private key readable by the owner only); also for a PKI directory
 * made before the DCO key existed.
 */
export function writeDcoKey(files: PkiFiles, key: SigningKeyPair): void {
  writeFileSync(files.dcoPublicKey, key.publicKeyPem);
  writeFileSync(files.dcoKey, key.privateKeyPem);
  chmodSync(files.dcoKey, 0o600);
}

/** Writes one User's pre-command signing key pair (private key readable by the owner only). */
export function writeSigningKey(files: PkiFiles, userId: string, key: SigningKeyPair): void {
  writeFileSync(files.userSigningPublicKey(userId), key.publicKeyPem);
  writeFileSync(files.userSigningKey(userId), key.privateKeyPem);
  chmodSync(files.userSigningKey(userId), 0o600);
}

/** Writes one User's prepayment top-up KA key pair (private key readable by the owner only). */
export function writeTopUpKey(files: PkiFiles, userId: string, key: KaKeyPairPem): void {
  writeFileSync(files.userTopUpPublicKey(userId), key.publicKeyPem);
  writeFileSync(files.userTopUpKey(userId), key.privateKeyPem);
  chmodSync(files.userTopUpKey(userId), 0o600);
}

/** Writes the devices' KA provisioning secret (readable by the owner only). */
export function writeDeviceKaSecret(files: PkiFiles, secret: string): void {
  writeFileSync(files.deviceKaSecret, secret);
  chmodSync(files.deviceKaSecret, 0o600);
}

/** The files of an existing PKI directory, or undefined when there is none yet (or it predates the CoS key). */
export function readPkiDir(dir: string): PkiFiles | undefined {
  const files = pkiFiles(dir);
  return [files.caCertificate, files.serverKey, files.cosPartyKey].every((path) => existsSync(path))
    ? files
    : undefined;
}

export function readText(path: string): string {
  return readFileSync(path, 'utf8');
}
