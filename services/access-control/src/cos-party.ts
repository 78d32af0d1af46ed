import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { credentialSwapPayload, DccError, formatRequestId, GrpcStatus } from '@dcc/domain';
import type { ServiceRequest, UpdateSecurityCredentials } from '@dcc/proto';
import type { AdmittedRequest } from './admission.js';
import { checkNamedKey, checkSenderCertificates } from './sender-certificates.js';

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
 *   sender; the replacement certificates must be the sender's own Supplier Organisation Certificates and certify
 *   its registered signing key (which names `signing_key_id`) and top-up KA key (sender-certificates.ts); anything
 *   else is INVALID_ARGUMENT, nothing stored; the prepayment top-up KA key is the sender's registered one
 *   (`top_up_key` from the User is INVALID_ARGUMENT; a sender without one, FAILED_PRECONDITION);
 * - checks ImportMPxN against the point registration holds for the device (INVALID_ARGUMENT otherwise);
 * - normalises the top-up and supplier floors (unsigned 64-bit, INVALID_ARGUMENT otherwise), so the meter checks
 *   the same bytes;
 * - signs the swap (credentialSwapPayload: device, RequestID, supplier, key id, floors, top-up key, certificate
 *   validity) with the CoS party key; the meter installs nothing without that signature. A `cos_signature` sent
 *   by the User is INVALID_ARGUMENT.
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

  /**
   * The request as the meter is to get it: unchanged for other SRVs; 6.23 with the swap filled in and signed.
   * `mpxn` is the point registration holds for the target device now.
   */
  authorise(
    admitted: Pick<AdmittedRequest, 'request' | 'id' | 'user' | 'srv'>,
    mpxn: string,
  ): ServiceRequest {
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
    const topUpFloor = counter(asked.topUpFloor, 'top_up_floor');
    const supplierFloor = counter(asked.supplierFloorSeqNumber, 'supplier_floor_seq_number');
    if (!user.topUpKey) {
      throw new DccError(
        GrpcStatus.FAILED_PRECONDITION,
        `SRV 6.23: ${user.id} has no registered prepayment top-up key for the meter to verify its UTRNs with`,
      );
    }
    const { keyId, validity } = checkSenderCertificates(COS_SRV, asked, user);
    checkNamedKey(COS_SRV, asked.signingKeyId, keyId);
    if (asked.importMpxn === '' || asked.importMpxn !== mpxn) {
      throw DccError.invalidArgument(
        `SRV 6.23: import_mpxn ${asked.importMpxn.slice(0, 32) || '(empty)'} is not the point registration holds for device ${id.target}`,
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
      supplierFloor,
      validity,
    };
    const cosSignature = sign('sha256', credentialSwapPayload(swap), { key: this.key, dsaEncoding: 'der' });
    const value: UpdateSecurityCredentials = {
      ...asked,
      supplierId: user.id,
      signingKeyId: keyId,
      topUpFloor,
      supplierFloorSeqNumber: supplierFloor,
      cosSignature,
      topUpKey: Buffer.from(user.topUpKey, 'base64'),
    };
    return { ...request, body: { $case: 'updateSecurityCredentials', value } };
  }
}

function counter(text: string, field: string): string {
  if (!/^[0-9]{1,20}$/.test(text) || BigInt(text) > MAX_COUNTER) {
    throw DccError.invalidArgument(`SRV 6.23 ${field} must be an unsigned 64-bit counter (decimal)`);
  }
  return BigInt(text).toString();
}
