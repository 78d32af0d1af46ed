import { CREDENTIAL_TYPES, type CredentialType } from '@dcc/domain';
import { X509Certificate } from 'node:crypto';
import type { DeviceModel } from './device-model.js';
import type { DeviceKeyGenerations, MeterState } from './meter-state.js';
import { deviceKeyPair } from './security-credentials.js';

/*
 * 6.15.2 (GBCS CS02d): the device installs the certificate for a key pair it generated on a 6.17. It takes the
 * certificate only when its public key is that of a pending pair; the pair then becomes current (6.24.2 reads
 * it) and the pending slot is cleared. A certificate for any other key, or when nothing is pending, changes
 * nothing: the device keeps the credentials it has.
 */

/** The certificate's SubjectPublicKeyInfo DER, base64; undefined when it is no X.509 certificate. */
export function certifiedKey(der: Uint8Array): string | undefined {
  try {
    const key = new X509Certificate(der).publicKey;
    return key.export({ type: 'spki', format: 'der' }).toString('base64');
  } catch {
    return undefined;
  }
}

/** Makes the pending pair the key certifies current; the usage it was, or undefined when none matches. */
export function installDeviceCertificate(
  state: MeterState,
  device: DeviceModel,
  key: string,
): CredentialType | undefined {
  const generations = state.deviceKeys;
  if (!generations) return undefined;
  const slot = generations.pending.findIndex((generation, i) => {
    if (generation === null) return false;
    const pair = deviceKeyPair(device, CREDENTIAL_TYPES[i]!, generation);
    return pair?.publicKey.export({ type: 'spki', format: 'der' }).toString('base64') === key;
  });
  if (slot < 0) return undefined;
  const current = [...generations.current] as DeviceKeyGenerations['current'];
  const pending = [...generations.pending] as DeviceKeyGenerations['pending'];
  current[slot] = pending[slot]!;
  pending[slot] = null;
  state.deviceKeys = { current, pending };
  return CREDENTIAL_TYPES[slot];
}
