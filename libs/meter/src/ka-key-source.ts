import type { KeyObject } from 'node:crypto';

/**
 * Where a meter finds the key-agreement (KA) keys a UTRN is verified with: its own KA private key and the
 * prepayment top-up KA public key of the supplier it trusts. Fixed configuration of the device (its profile),
 * so a deployment or a test supplies real keys and the simulation defaults to the development ones
 * (dev-ka-keys.ts).
 */
export interface KaKeySource {
  /** The device's own KA private key (ECDH P-256). */
  devicePrivateKey(deviceId: string): KeyObject;
  /** The supplier's prepayment top-up KA public key as the device holds it; undefined: none installed. */
  supplierTopUpPublicKey(supplierId: string): KeyObject | undefined;
}
