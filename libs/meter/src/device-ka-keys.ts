import { createECDH, createPrivateKey, createPublicKey, hkdfSync, type KeyObject } from 'node:crypto';

/**
 * The devices' key-agreement (KA) key pairs, as their manufacturer provisions them: each device's private key
 * is derived (HKDF-SHA-256) from a provisioning secret and the device's EUI-64, so a fleet of millions needs no
 * key store, and nobody without the secret can compute a device's key from its id. The secret belongs to the
 * device edge (the adapters' simulated devices, DEVICE_KA_SECRET_FILE) and to the installer that registers each
 * device's public half in the inventory; the hub's services never hold it. Each device's private key stays in
 * its device model (DeviceModel.kaPrivateKey); what the rest of the hub knows is the public key in the inventory.
 */
export interface KaKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** The order of the P-256 group: a private scalar must lie in 1..N-1. */
const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const CACHE_LIMIT = 4_096;
const MIN_SECRET_BYTES = 32;
/** The HKDF salt of the KA key pair (changing it would change every device's KA key). */
const KA_LABEL = 'dcc device KA key';

export class DeviceKaKeys {
  private readonly cache = new Map<string, KaKeyPair>();

  constructor(private readonly secret: Uint8Array) {
    if (secret.length < MIN_SECRET_BYTES) {
      throw new RangeError(`a device KA provisioning secret needs at least ${MIN_SECRET_BYTES} bytes`);
    }
  }

  /** The device's KA key pair. */
  keyPair(deviceId: string): KaKeyPair {
    const id = deviceId.toUpperCase();
    let pair = this.cache.get(id);
    if (pair) {
      this.cache.delete(id); // re-insert: the Map's order is then least recently used first
    } else {
      pair = this.derive(id);
      if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value!);
    }
    this.cache.set(id, pair);
    return pair;
  }

  /**
   * Another key pair of the device, named by its purpose (its digital-signing key, a key pair it generated on
   * a 6.17): derived like the KA key under another label, so it too needs no store. Not cached (rarely used).
   */
  purposeKeyPair(deviceId: string, purpose: string): KaKeyPair {
    if (purpose === KA_LABEL) throw new RangeError(`"${KA_LABEL}" is the KA key's own label`);
    return this.derive(deviceId.toUpperCase(), purpose);
  }

  private derive(id: string, label = KA_LABEL): KaKeyPair {
    // 48 bytes reduced mod N: the bias is below 2^-128 (FIPS 186-5 A.2.1, extra random bits).
    const okm = Buffer.from(hkdfSync('sha256', this.secret, label, id, 48));
    const scalar = (BigInt(`0x${okm.toString('hex')}`) % (P256_ORDER - 1n)) + 1n;
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
}
