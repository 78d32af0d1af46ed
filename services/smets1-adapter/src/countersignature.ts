import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ServiceRequest } from '@dcc/proto';

/** The DCO's key pair: it countersigns with the private half; the SMETS1 device path trusts the public half. */
export interface DcoKeys {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/**
 * The DCO keys from PEM files (ECDSA P-256: PKCS#8 private, SPKI public), or, with neither configured, a key
 * pair made for this process alone (the DCO and the device path it feeds then share the process; a warning says
 * so). One without the other is a configuration error.
 */
export function dcoKeys(
  privateFile: string | undefined,
  publicFile: string | undefined,
): {
  keys: DcoKeys;
  ephemeral: boolean;
} {
  if (privateFile && publicFile) {
    return {
      keys: {
        privateKey: createPrivateKey(readFileSync(privateFile)),
        publicKey: createPublicKey(readFileSync(publicFile)),
      },
      ephemeral: false,
    };
  }
  if (privateFile || publicFile) {
    throw new Error('DCO_KEY_FILE and DCO_PUBLIC_KEY_FILE must be set together');
  }
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { keys: { privateKey, publicKey }, ephemeral: true };
}

/**
 * What the DCO countersigns: the target device and the User's request as stored (its RequestID, SRV and body),
 * so a countersignature is valid for that command on that device only.
 */
export function countersignedBytes(deviceId: string, request: ServiceRequest): Buffer {
  return Buffer.concat([Buffer.from(`${deviceId}\n`), ServiceRequest.encode(request).finish()]);
}

export function countersign(key: KeyObject, deviceId: string, request: ServiceRequest): Buffer {
  return sign('sha256', countersignedBytes(deviceId, request), key);
}

export function verifyCountersignature(
  key: KeyObject,
  deviceId: string,
  request: ServiceRequest,
  signature: Uint8Array,
): boolean {
  return verify('sha256', countersignedBytes(deviceId, request), key, signature);
}
