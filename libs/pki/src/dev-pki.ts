// @peculiar/x509 resolves its ASN.1 providers through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { generateKeyPairSync, randomBytes, webcrypto } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/** The development hub operator (the DCC's own EUI-64 in DCC Boxed): User admission and registration. */
export const DEVELOPMENT_OPERATOR_ID = '90-B3-D5-1F-30-00-00-02';
/** The development registration data provider (stands for the electricity and gas RDPs). */
export const DEVELOPMENT_REGISTRATION_PROVIDER_ID = '90-B3-D5-1F-30-00-00-03';
/** The development payment channel (a shop or app taking prepayment top-ups): the prepayment service's caller. */
export const DEVELOPMENT_PAYMENT_CHANNEL_ID = '90-B3-D5-1F-30-00-00-04';

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface PemPair {
  certificate: string;
  privateKey: string;
}

export interface DevPki {
  ca: PemPair;
  server: PemPair;
  /** One client certificate per User ID (the certificate's CN is the User ID). */
  users: Record<string, PemPair>;
  /**
   * One signing key pair per User ID, for critical commands' pre-commands (key id "1", which is also the key id
   * a simulated meter trusts by default). Register `{keyId, publicKeyPem}` in the User's `signingKeys`.
   */
  signingKeys: Record<string, SigningKeyPair>;
  /**
   * One prepayment top-up key-agreement (KA) key pair per User ID (EC P-256, for ECDH): the supplier issues
   * UTRNs with the private key; its public key is registered in the User's directory entry (`topUpKeyPem`) and
   * installed on a meter by 6.23.
   */
  topUpKeys: Record<string, KaKeyPairPem>;
  /**
   * The devices' KA provisioning secret (32 random bytes, base64): the simulated devices' manufacturer derives
   * each device's KA key pair from it (libs/meter DeviceKaKeys). The device edge and the installer that
   * registers devices' public keys hold it; the hub's services do not.
   */
  deviceKaSecret: string;
  /**
   * The Change of Supplier party's key pair (key id "cos"): the hub signs each 6.23 credential swap with the
   * private key; meters are configured with the public key and install no credentials without its signature.
   */
  cosParty: SigningKeyPair;
  /**
   * The Dual Control Organisation's key pair (key id "dco"): the SMETS1 adapter's DCO countersigns every command
   * to a SMETS1 device with the private key; the SMETS1 device path executes only what verifies with the public.
   */
  dco: SigningKeyPair;
}

/** An ECDSA P-256 signing key: public key as SPKI PEM, private key as PKCS#8 PEM. */
export interface SigningKeyPair {
  keyId: string;
  publicKeyPem: string;
  privateKeyPem: string;
}

/** An EC P-256 key-agreement key pair: public key as SPKI PEM, private key as PKCS#8 PEM. */
export interface KaKeyPairPem {
  publicKeyPem: string;
  privateKeyPem: string;
}

/** A fresh EC P-256 key-agreement key pair (a supplier's prepayment top-up key). */
export function createKaKeyPair(): KaKeyPairPem {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** A fresh device KA provisioning secret (base64 of 32 random bytes). */
export function createDeviceKaSecret(): string {
  return randomBytes(32).toString('base64');
}

/** A fresh ECDSA P-256 signing key pair (for pre-commands: sign with SHA-256, DER signatures). */
export async function createSigningKeyPair(keyId = '1'): Promise<SigningKeyPair> {
  const keys = await keyPair();
  const spki = await webcrypto.subtle.exportKey('spki', keys.publicKey);
  return {
    keyId,
    publicKeyPem: x509.PemConverter.encode(spki, 'PUBLIC KEY'),
    privateKeyPem: await privateKeyPem(keys.privateKey),
  };
}

async function keyPair(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function privateKeyPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

function serial(): string {
  return Buffer.from(webcrypto.getRandomValues(new Uint8Array(16)))
    .toString('hex')
    .replace(/^[89a-f]/, '1');
}

/**
 * A throw-away certificate authority for the local default and tests: ECDSA P-256, a server certificate for
 * localhost, and a client certificate per User whose subject CN is the User ID. Production takes certificates from
 * files (or Kubernetes secrets) instead.
 */
export async function createDevPki(userIds: readonly string[], validDays = 365): Promise<DevPki> {
  const notBefore = new Date(Date.now() - DAY_MS);
  const notAfter = new Date(Date.now() + validDays * DAY_MS);
  const caKeys = await keyPair();
  const caName = 'CN=DCC hub development CA';
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: caName,
    notBefore,
    notAfter,
    keys: caKeys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    ],
  });

  const issue = async (subject: string, extensions: x509.Extension[]): Promise<PemPair> => {
    const keys = await keyPair();
    const certificate = await x509.X509CertificateGenerator.create({
      serialNumber: serial(),
      subject,
      issuer: caName,
      notBefore,
      notAfter,
      publicKey: keys.publicKey,
      signingKey: caKeys.privateKey,
      signingAlgorithm: ALGORITHM,
      extensions: [new x509.BasicConstraintsExtension(false, undefined, true), ...extensions],
    });
    return { certificate: certificate.toString('pem'), privateKey: await privateKeyPem(keys.privateKey) };
  };

  const server = await issue('CN=localhost', [
    new x509.SubjectAlternativeNameExtension([
      { type: 'dns', value: 'localhost' },
      { type: 'ip', value: '127.0.0.1' },
    ]),
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
  ]);
  const users: Record<string, PemPair> = {};
  const signingKeys: Record<string, SigningKeyPair> = {};
  const topUpKeys: Record<string, KaKeyPairPem> = {};
  for (const id of userIds) {
    users[id] = await issue(`CN=${id}`, [
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
    ]);
    signingKeys[id] = await createSigningKeyPair();
    topUpKeys[id] = createKaKeyPair();
  }
  return {
    ca: { certificate: ca.toString('pem'), privateKey: await privateKeyPem(caKeys.privateKey) },
    server,
    users,
    signingKeys,
    topUpKeys,
    deviceKaSecret: createDeviceKaSecret(),
    cosParty: await createSigningKeyPair('cos'),
    dco: await createSigningKeyPair('dco'),
  };
}
