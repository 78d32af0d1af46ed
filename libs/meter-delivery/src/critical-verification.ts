import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DccError, findSrv, GrpcStatus, parseEui64 } from '@dcc/domain';
import type { Signer, TrustedSupplier } from '@dcc/meter';
import { PreCommand, PreCommandContent, type ServiceRequest } from '@dcc/proto';

/**
 * Public keys of the suppliers' signing keys, by (supplier id, key id): what a meter holds as its trusted
 * supplier credentials (GBCS: the supplier's digital-signing certificate on the device), for the simulated fleet.
 *
 * Configured with the same USERS JSON as access-control: every User's `signingKeys` [{keyId, publicKeyPem}]
 * (ECDSA P-256, SPKI PEM) is a key its User ID may be trusted with. Roles are ignored here.
 */
export class SupplierKeys {
  private readonly keys = new Map<string, KeyObject>();

  constructor(entries: readonly { supplierId: string; keyId: string; publicKeyPem: string }[] = []) {
    for (const e of entries) this.keys.set(keyName(e.supplierId, e.keyId), p256PublicKey(e.publicKeyPem, e));
  }

  static fromUsersConfig(json: string | undefined): SupplierKeys {
    if (!json) return new SupplierKeys();
    let raw: unknown;
    try {
      raw = JSON.parse(json);
    } catch (error) {
      throw DccError.invalidArgument(`USERS is not valid JSON: ${(error as Error).message}`);
    }
    if (!Array.isArray(raw)) throw DccError.invalidArgument('USERS must be a JSON array');
    return new SupplierKeys(
      raw.flatMap((user: { id?: unknown; signingKeys?: unknown }, i) => {
        if (user?.signingKeys === undefined) return [];
        if (typeof user.id !== 'string' || !Array.isArray(user.signingKeys)) {
          throw DccError.invalidArgument(
            `USERS[${i}] must have an id and signingKeys [{keyId, publicKeyPem}]`,
          );
        }
        const supplierId = parseEui64(user.id, `USERS[${i}].id`);
        return user.signingKeys.map((key: { keyId?: unknown; publicKeyPem?: unknown }, k) => {
          if (typeof key?.keyId !== 'string' || typeof key.publicKeyPem !== 'string') {
            throw DccError.invalidArgument(`USERS[${i}].signingKeys[${k}] must be {keyId, publicKeyPem}`);
          }
          return { supplierId, keyId: key.keyId, publicKeyPem: key.publicKeyPem };
        });
      }),
    );
  }

  find(supplierId: string, keyId: string): KeyObject | undefined {
    return this.keys.get(keyName(supplierId, keyId));
  }

  get size(): number {
    return this.keys.size;
  }
}

const keyName = (supplierId: string, keyId: string) => `${supplierId}/${keyId}`;

/** The CoS party's public key from its file (COS_PARTY_PUBLIC_KEY_FILE), or undefined when none is set. */
export function cosPartyKey(file: string | undefined): KeyObject | undefined {
  if (!file) return undefined;
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (error) {
    throw DccError.invalidArgument(`COS_PARTY_PUBLIC_KEY_FILE ${file}: ${(error as Error).message}`);
  }
  return p256PublicKey(pem, { supplierId: 'the CoS party', keyId: 'cos' });
}

function p256PublicKey(pem: string, where: { supplierId: string; keyId: string }): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (error) {
    throw DccError.invalidArgument(
      `signing key ${where.keyId} of ${where.supplierId}: ${(error as Error).message}`,
    );
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw DccError.invalidArgument(`signing key ${where.keyId} of ${where.supplierId} is not ECDSA P-256`);
  }
  return key;
}

/**
 * The public key of the signing certificate a device installed (6.15.1): the device verifies with what it holds,
 * not with the hub's list of registered keys. Parsed once per distinct key, as few as the suppliers' rolled keys.
 */
const installedKeys = new Map<string, KeyObject>();
function installedKey(spki: string): KeyObject {
  let key = installedKeys.get(spki);
  if (!key) {
    key = createPublicKey({ key: Buffer.from(spki, 'base64'), format: 'der', type: 'spki' });
    installedKeys.set(spki, key);
  }
  return key;
}

/** What the check needs to know of the device: its id and the supplier key it trusts now. */
export interface TrustingDevice {
  deviceId: string;
  /** The device's trusted supplier credentials: its 6.23 credentials, else its profile's default. */
  trusted: TrustedSupplier;
}

/** A command as the device is to run it: the request (critical: with the parameters that were signed) and signer. */
export interface VerifiedCommand {
  request: ServiceRequest;
  signer?: Signer;
}

/**
 * The meter's own check of a critical command (after access control's): the signed pre-command must be for this
 * request, and its signature (ECDSA P-256 / SHA-256, DER) must verify with the public key of the supplier key
 * the METER trusts now (the signing certificate it installed through 6.15.1; else its 6.23 credentials' or its
 * profile's key, found by key id among the Users' registered keys). Only then does the device model run it, with
 * that supplier as the signer; otherwise PERMISSION_DENIED, so a supplier that lost the meter on change of
 * supplier cannot command it even with a signature access control accepted. The hub's MAC on the pre-command is
 * access control's business (its key is not the adapter's). Non-critical requests pass through unchanged.
 */
export function verifyCriticalCommand(
  device: TrustingDevice,
  request: ServiceRequest,
  keys: SupplierKeys,
): VerifiedCommand {
  const srv = request.serviceReferenceVariant;
  if (!findSrv(srv)?.critical) return { request };
  const signed = request.signedPreCommand;
  if (!signed || signed.preCommand.length === 0) {
    throw new DccError(
      GrpcStatus.PERMISSION_DENIED,
      `SRV ${srv} is critical and arrived without a signed pre-command`,
    );
  }
  let content: PreCommandContent;
  try {
    content = PreCommandContent.decode(PreCommand.decode(signed.preCommand).content);
  } catch (error) {
    throw DccError.invalidArgument(`the signed pre-command does not decode: ${(error as Error).message}`);
  }
  if (
    content.requestId !== request.requestId ||
    content.serviceReferenceVariant !== srv ||
    content.deviceId !== device.deviceId
  ) {
    throw DccError.invalidArgument(
      `the signed pre-command is for ${content.requestId} SRV ${content.serviceReferenceVariant} on ${content.deviceId}, not this command`,
    );
  }
  const trusted = device.trusted;
  const key = trusted.signingKey
    ? installedKey(trusted.signingKey)
    : keys.find(trusted.supplierId, trusted.keyId);
  if (!key) {
    throw new DccError(
      GrpcStatus.PERMISSION_DENIED,
      `SRV ${srv}: the device trusts supplier ${trusted.supplierId} key ${trusted.keyId}, whose public key is not configured`,
    );
  }
  let valid = false;
  try {
    valid = verify('sha256', signed.preCommand, { key, dsaEncoding: 'der' }, signed.signature);
  } catch {
    valid = false;
  }
  if (!valid) {
    throw new DccError(
      GrpcStatus.PERMISSION_DENIED,
      `SRV ${srv}: the signature does not verify with the supplier key the device trusts (${trusted.supplierId} key ${trusted.keyId})`,
    );
  }
  return {
    request: { ...request, body: content.request?.body },
    signer: { supplierId: trusted.supplierId, keyId: trusted.keyId },
  };
}
