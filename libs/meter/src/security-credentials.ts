import {
  certificationRequestPayload,
  CREDENTIAL_TYPES,
  REMOTE_PARTY_ROLES,
  subjectKeyIdentifier,
  type CredentialType,
  type RemotePartyRole,
} from '@dcc/domain';
import { sign, type KeyObject } from 'node:crypto';
import type { DeviceModel } from './device-model.js';
import type { KaKeyPair } from './device-ka-keys.js';
import type { DeviceKeyGenerations, MeterState } from './meter-state.js';
import { trustedSupplier } from './credentials.js';
import { counterMark } from './request-counters.js';

/*
 * The read side of the security credentials a device holds: its own key pairs and certificates (6.17, 6.24.2;
 * GBCS CS02c, CS02e) and the trust anchors it holds for remote parties (6.24.1; GBCS CS02a). Credentials are
 * replaced elsewhere (6.23 in credentials.ts, 6.15.1 in trust-anchors.ts, 6.15.2 in device-certificate.ts); whatever replaces them must leave this view true.
 */

/** One trust anchor cell (GBCS Trust Anchor Cell Contents). */
export interface TrustAnchorCell {
  credentialType: CredentialType;
  cellUsage: 'management' | 'prepaymentTopUp';
  /** The party's EUI-64; empty when the device holds the party's key without its id (the CoS party). */
  subjectUniqueId: string;
  subjectKeyIdentifier: string;
}

/** One party's answer (GBCS Remote Party Details). */
export interface RemotePartyDetails {
  remotePartyRole: RemotePartyRole;
  status: 'success' | 'trustAnchorNotFound';
  /** The party's request counter high-water mark, decimal; '' unless success. */
  currentSeqNumber: string;
  cells: TrustAnchorCell[];
}

/** Only the meters take prepayment top-ups (2.2), so only they hold the supplier's top-up key. */
const HOLDS_TOP_UP_KEY: ReadonlySet<string> = new Set(['ESME', 'GSME']);

/** The label a device's key pair of this usage and generation derives under (device-ka-keys.ts). */
function purpose(usage: CredentialType, generation: number): string {
  return `dcc device ${usage} key ${generation}`;
}

/**
 * The device's key pair of this usage and generation; undefined when it was provisioned without keys. The
 * key-agreement pair it was made with is its KA key (UTRN verification, the inventory's public key).
 */
export function deviceKeyPair(
  device: DeviceModel,
  usage: CredentialType,
  generation: number,
): KaKeyPair | undefined {
  const keys = device.profile.kaKeys;
  if (!keys) return undefined;
  if (usage === 'keyAgreement' && generation === 0) return keys.keyPair(device.deviceId);
  return keys.purposeKeyPair(device.deviceId, purpose(usage, generation));
}

const slot = (usage: CredentialType) => CREDENTIAL_TYPES.indexOf(usage);
const generationsOf = (state: MeterState): DeviceKeyGenerations =>
  state.deviceKeys ?? { current: [0, 0], pending: [null, null] };

/** The key pair the device's certificate of this usage certifies, or undefined when it holds none. */
export function currentKeyPair(state: MeterState, device: DeviceModel, usage: CredentialType) {
  return deviceKeyPair(device, usage, generationsOf(state).current[slot(usage)]!);
}

const spki = (key: KeyObject) => key.export({ type: 'spki', format: 'der' });

/** A certification request for a new key pair: subject, usage, key, and the new private key's signature. */
export interface CertificationRequest {
  deviceId: string;
  credentialType: CredentialType;
  /** Base64 SubjectPublicKeyInfo DER. */
  publicKey: string;
  /** Base64 ECDSA P-256 / SHA-256 DER over certificationRequestPayload. */
  signature: string;
}

/**
 * 6.17: the device generates the next key pair of the usage, keeps it pending (a second 6.17 replaces the
 * pending one) and answers its certification request; undefined when it cannot generate keys.
 */
export function issueKeyPair(
  state: MeterState,
  device: DeviceModel,
  usage: CredentialType,
): CertificationRequest | undefined {
  const generations = generationsOf(state);
  const i = slot(usage);
  const next = Math.max(generations.current[i]!, generations.pending[i] ?? 0) + 1;
  const pair = deviceKeyPair(device, usage, next);
  if (!pair) return undefined;
  const pending = [...generations.pending] as DeviceKeyGenerations['pending'];
  pending[i] = next;
  state.deviceKeys = { current: [...generations.current], pending };
  const key = spki(pair.publicKey);
  const payload = certificationRequestPayload(device.deviceId, usage, key);
  const signature = sign('sha256', payload, { key: pair.privateKey, dsaEncoding: 'der' });
  return {
    deviceId: device.deviceId,
    credentialType: usage,
    publicKey: key.toString('base64'),
    signature: signature.toString('base64'),
  };
}

/** The trust anchor cells the device holds for a party (empty: none). */
function cellsOf(state: MeterState, device: DeviceModel, role: RemotePartyRole): TrustAnchorCell[] {
  if (role === 'supplier') {
    const supplier = trustedSupplier(state, device);
    const cells: TrustAnchorCell[] = [
      {
        credentialType: 'digitalSignature',
        cellUsage: 'management',
        subjectUniqueId: supplier.supplierId,
        subjectKeyIdentifier: supplier.keyId,
      },
    ];
    if (supplier.topUpKey && HOLDS_TOP_UP_KEY.has(device.profile.deviceType)) {
      cells.push({
        credentialType: 'keyAgreement',
        cellUsage: 'prepaymentTopUp',
        subjectUniqueId: supplier.supplierId,
        subjectKeyIdentifier: subjectKeyIdentifier(Buffer.from(supplier.topUpKey, 'base64')),
      });
    }
    return cells;
  }
  const cosKey = device.profile.cosPartyPublicKey;
  if (role === 'transCoS' && cosKey) {
    return [
      {
        credentialType: 'digitalSignature',
        cellUsage: 'management',
        subjectUniqueId: '',
        subjectKeyIdentifier: subjectKeyIdentifier(spki(cosKey)),
      },
    ];
  }
  const anchor = state.remoteAnchors[role];
  if (anchor) {
    // 6.15.1 installed it (trust-anchors.ts).
    return [
      {
        credentialType: 'digitalSignature',
        cellUsage: 'management',
        subjectUniqueId: anchor.entityId,
        subjectKeyIdentifier: anchor.signingKeyId,
      },
      {
        credentialType: 'keyAgreement',
        cellUsage: 'management',
        subjectUniqueId: anchor.entityId,
        subjectKeyIdentifier: anchor.keyAgreementKeyId,
      },
    ];
  }
  // The model holds no other party's credentials.
  return [];
}

/** 6.24.1: per role asked for, in that order, what the device holds. */
export function remotePartyDetails(
  state: MeterState,
  device: DeviceModel,
  roles: readonly RemotePartyRole[],
): RemotePartyDetails[] {
  return roles.map((role) => {
    const cells = cellsOf(state, device, role);
    if (cells.length === 0) {
      return { remotePartyRole: role, status: 'trustAnchorNotFound', currentSeqNumber: '', cells };
    }
    const id = cells[0]!.subjectUniqueId;
    const mark = (id ? counterMark(state, id) : undefined) ?? 0n;
    // A 6.15.1 anchor starts the party's counter at the floor it was installed with.
    const floor = BigInt(state.remoteAnchors[role]?.floorSeqNumber ?? 0);
    const current = mark > floor ? mark : floor;
    return { remotePartyRole: role, status: 'success', currentSeqNumber: current.toString(), cells };
  });
}

export const isCredentialType = (value: unknown): value is CredentialType =>
  CREDENTIAL_TYPES.includes(value as CredentialType);
export const isRemotePartyRole = (value: unknown): value is RemotePartyRole =>
  REMOTE_PARTY_ROLES.includes(value as RemotePartyRole);
