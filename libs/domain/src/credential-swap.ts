import { DccError } from './dcc-error.js';

/**
 * A change-of-supplier credential swap (SRV 6.23) as the CoS party authorises it: on this device, for this
 * request, the supplier credentials to install (the gaining supplier's own signing key and prepayment top-up KA
 * public key, as the hub's User directory registers them) and the new top-up counter floor.
 */
export interface CredentialSwap {
  deviceId: string;
  requestId: string;
  supplierId: string;
  keyId: string;
  topUpFloor: string;
  /** The gaining supplier's prepayment top-up KA public key, base64 SPKI DER (ka-public-key.ts). */
  topUpKey: string;
  /** SupplierFloorSeqNumber: the gaining supplier's RequestID counters must exceed it (decimal, 64-bit). */
  supplierFloor: string;
  /**
   * ApplyTimeBasedCPVChecks: when set, the instants (UTC ms, "from-to") all replacement certificates are valid
   * in, which the device checks its clock against; '' when the checks are not to be applied.
   */
  validity: string;
}

const TAG = 'dcc.v1.CredentialSwap';

/**
 * The bytes the CoS party signs (ECDSA P-256, SHA-256, DER) and a meter verifies before it installs the
 * credentials: the hub (signer) and the device model (verifier) both build them here, so they cannot disagree.
 * Fields are newline-separated after a domain-separation tag; a field holding a newline (which no valid EUI-64,
 * RequestID, key id, decimal counter, base64 key or validity window does) is refused, so no two swaps share their bytes.
 */
export function credentialSwapPayload(swap: CredentialSwap): Uint8Array {
  const fields = [
    swap.deviceId,
    swap.requestId,
    swap.supplierId,
    swap.keyId,
    swap.topUpFloor,
    swap.topUpKey,
    swap.supplierFloor,
    swap.validity,
  ];
  if (fields.some((field) => field.includes('\n'))) {
    throw DccError.invalidArgument('a credential swap field may not contain a newline');
  }
  return new TextEncoder().encode([TAG, ...fields].join('\n'));
}
