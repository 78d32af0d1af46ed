import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { credentialSwapPayload, DccError, formatRequestId, GrpcStatus } from '@dcc/domain';
import type { ServiceRequest, UpdateSecurityCredentials } from '@dcc/proto';
import type { AdmittedRequest } from './admission.js';

/** SRV 6.23 Update Security Credentials (CoS): the credential swap the CoS party authorises. */
export const COS_SRV = '6.23';

const MAX_COUNTER = (1n << 64n) - 1n;

/**
 * The hub acting as the Change of Supplier party (GBCS CS02b "supplierByTransCoS"). The User sends 6.23 with
 * command variant 1; by the time it gets here, access control has established that the sender is the User its
 * certificate proves and that registration names it as the point's supplier for its role now (else E4 before
 * this step). The CoS party then:
 *
 * - installs the sender's OWN credentials, never a party taken from the body: `supplier_id` must be empty or the
 *   sender, `signing_key_id` one of the sender's registered signing keys in the User directory (empty: its only
 *   key); anything else is INVALID_ARGUMENT, nothing stored; the prepayment top-up KA key is the sender's
 *   registered one (`top_up_key` from the User is INVALID_ARGUMENT; a sender without one, FAILED_PRECONDITION);
 * - normalises the top-up floor (unsigned 64-bit, INVALID_ARGUMENT otherwise), so the meter checks the same bytes;
 * - signs the swap (credentialSwapPayload: device, RequestID, supplier, key id, floor) with the CoS party key;
 *   the meter installs nothing without that signature. A `cos_signature` sent by the User is INVALID_ARGUMENT.
 *
 * Without a CoS party key (COS_PARTY_KEY_FILE unset) the hub cannot authorise any swap: FAILED_PRECONDITION.
 */
export class CosParty {
  constructor(private readonly key: KeyObject | undefined) {}

  /** The CoS party with the private key in `file` (PKCS#8 PEM, ECDSA P-256), or without one when unset. */
  static fromFile(file: string | undefined): CosParty {
    if (!file) return new CosParty(undefined);
    let key: KeyObject;
    try {
      key = createPrivateKey(readFileSync(file, 'utf8'));
    } catch (error) {
      throw DccError.invalidArgument(`COS_PARTY_KEY_FILE ${file}: ${(error as Error).message}`);
    }
    if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
      throw DccError.invalidArgument(`COS_PARTY_KEY_FILE ${file} is not an ECDSA P-256 private key`);
    }
    return new CosParty(key);
  }

  /** The request as the meter is to get it: unchanged for other SRVs; 6.23 with the swap filled in and signed. */
  authorise(admitted: Pick<AdmittedRequest, 'request' | 'id' | 'user' | 'srv'>): ServiceRequest {
    const { request, id, user } = admitted;
    if (admitted.srv.srv !== COS_SRV) return request;
    const body = request.body;
    if (body?.$case !== 'updateSecurityCredentials') {
      throw DccError.invalidArgument('SRV 6.23 needs an updateSecurityCredentials body');
    }
    const asked = body.value;
    if (asked.cosSignature.length > 0) {
      throw DccError.invalidArgument('cos_signature is the hub’s to set (the CoS party signs the swap)');
    }
    if (asked.topUpKey.length > 0) {
      throw DccError.invalidArgument('top_up_key is the hub’s to set (the sender’s registered top-up key)');
    }
    if (asked.supplierId !== '' && asked.supplierId.toUpperCase() !== user.id) {
      throw DccError.invalidArgument(
        `SRV 6.23 installs the sender’s own credentials: supplier_id ${asked.supplierId.slice(0, 64)} is not ${user.id}`,
      );
    }
    const keyId = ownKeyId(user.signingKeys ?? [], asked.signingKeyId, user.id);
    const topUpFloor = counter(asked.topUpFloor);
    if (!user.topUpKey) {
      throw new DccError(
        GrpcStatus.FAILED_PRECONDITION,
        `SRV 6.23: ${user.id} has no registered prepayment top-up key for the meter to verify its UTRNs with`,
      );
    }
    if (!this.key) {
      throw new DccError(
        GrpcStatus.FAILED_PRECONDITION,
        'the hub holds no CoS party key (COS_PARTY_KEY_FILE), so it authorises no credential swap',
      );
    }
    const swap = {
      deviceId: id.target,
      requestId: formatRequestId(id),
      supplierId: user.id,
      keyId,
      topUpFloor,
      topUpKey: user.topUpKey,
    };
    const cosSignature = sign('sha256', credentialSwapPayload(swap), { key: this.key, dsaEncoding: 'der' });
    const value: UpdateSecurityCredentials = {
      ...asked,
      supplierId: user.id,
      signingKeyId: keyId,
      topUpFloor,
      cosSignature,
      topUpKey: Buffer.from(user.topUpKey, 'base64'),
    };
    return { ...request, body: { $case: 'updateSecurityCredentials', value } };
  }
}

/** The sender's registered key the meter is to trust: the one named, or its only one when none is. */
function ownKeyId(keys: readonly { keyId: string }[], named: string, userId: string): string {
  if (named === '') {
    if (keys.length === 1) return keys[0]!.keyId;
    throw DccError.invalidArgument(
      keys.length === 0
        ? `SRV 6.23: ${userId} has no registered signing key to install`
        : `SRV 6.23: name which of ${userId}’s registered signing keys to install (signing_key_id)`,
    );
  }
  if (!keys.some((k) => k.keyId === named)) {
    throw DccError.invalidArgument(
      `SRV 6.23: signing key ${named.slice(0, 64)} is not one of ${userId}’s registered signing keys`,
    );
  }
  return named;
}

function counter(text: string): string {
  if (!/^[0-9]{1,20}$/.test(text) || BigInt(text) > MAX_COUNTER) {
    throw DccError.invalidArgument('SRV 6.23 top_up_floor must be an unsigned 64-bit counter (decimal)');
  }
  return BigInt(text).toString();
}
