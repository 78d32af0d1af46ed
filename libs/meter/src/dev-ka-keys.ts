import { createECDH, createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import type { KaKeySource } from './ka-key-source.js';

/**
 * Development stand-in for key-agreement (KA) credentials, clearly not production: each supplier's prepayment
 * top-up KA key pair and each device's KA key pair are derived deterministically from the party's EUI-64, so
 * the simulated supplier top-up tools (createUtrn), the simulated meters and the load-test UTRN writer agree
 * without distributing keys. Anyone who knows an id can derive its private key: these keys prove only that
 * the UTRN machinery (ECDH, KDF, GMAC) is GBCS's, not that a UTRN came from the supplier. Real deployments hold
 * the supplier's private top-up key in the supplier's systems and the device's in the device; the device learns
 * the supplier's public top-up key from its credentials (6.23 / 6.15.1), not from an id.
 */
export type KaKeyRole = 'supplier-top-up' | 'device';

export interface KaKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** The order of the P-256 group: a private scalar must lie in 1..N-1. */
const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const CACHE_LIMIT = 4_096;
const cache = new Map<string, KaKeyPair>();

function derive(role: KaKeyRole, id: string): KaKeyPair {
  const digest = createHash('sha256')
    .update(`dcc-hub development KA key\0${role}\0${id.toUpperCase()}`)
    .digest();
  const scalar = (BigInt(`0x${digest.toString('hex')}`) % (P256_ORDER - 1n)) + 1n;
  const d = Buffer.from(scalar.toString(16).padStart(64, '0'), 'hex');
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(d);
  const point = ecdh.getPublicKey();
  const jwk = {
    kty: 'EC',
    crv: 'P-256',
    x: point.subarray(1, 33).toString('base64url'),
    y: point.subarray(33).toString('base64url'),
  };
  return {
    privateKey: createPrivateKey({ key: { ...jwk, d: d.toString('base64url') }, format: 'jwk' }),
    publicKey: createPublicKey({ key: jwk, format: 'jwk' }),
  };
}

/** The development KA key pair of a supplier (its prepayment top-up key) or of a device. */
export function developmentKaKeyPair(role: KaKeyRole, id: string): KaKeyPair {
  const key = `${role}\0${id.toUpperCase()}`;
  let pair = cache.get(key);
  if (pair) {
    cache.delete(key); // re-insert: the Map's order is then least recently used first
  } else {
    pair = derive(role, id);
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  }
  cache.set(key, pair);
  return pair;
}

/** The development key source: every device's and supplier's KA keys derived from their ids. */
export const DEVELOPMENT_KA_KEYS: KaKeySource = {
  devicePrivateKey: (deviceId) => developmentKaKeyPair('device', deviceId).privateKey,
  supplierTopUpPublicKey: (supplierId) => developmentKaKeyPair('supplier-top-up', supplierId).publicKey,
};
