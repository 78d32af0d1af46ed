import { credentialSwapPayload, DccError, GrpcStatus, type CredentialSwap } from '@dcc/domain';
import { verify } from 'node:crypto';
import type { DeviceModel } from './device-model.js';
import type { MeterState, TrustedSupplier } from './meter-state.js';
import { raiseCounterFloor } from './request-counters.js';

/** Who signed a critical command: the supplier and the key (certificate) it signed with. */
export interface Signer {
  supplierId: string;
  keyId: string;
}

export function trustedSupplier(state: MeterState, device: DeviceModel): TrustedSupplier {
  return state.trust ?? device.profile.trustedSupplier;
}

/**
 * A critical command must be signed with the supplier credentials the meter trusts (GBCS: the supplier's
 * digital-signing certificate on the device); anything else is refused with PERMISSION_DENIED. In the model the
 * signature is represented by its signer's identity; checking the signature itself is the hub's job.
 */
export function checkSigner(
  state: MeterState,
  device: DeviceModel,
  srv: string,
  signer: Signer | undefined,
): void {
  const trusted = trustedSupplier(state, device);
  if (!signer) {
    throw new DccError(
      GrpcStatus.PERMISSION_DENIED,
      `SRV ${srv} is critical and must be signed by the supplier`,
    );
  }
  if (signer.supplierId !== trusted.supplierId || signer.keyId !== trusted.keyId) {
    throw new DccError(
      GrpcStatus.PERMISSION_DENIED,
      `SRV ${srv} signed by ${signer.supplierId} key ${signer.keyId}; the device trusts ${trusted.supplierId} key ${trusted.keyId}`,
    );
  }
}

/**
 * 6.23 (change of supplier): the device replaces the supplier credentials it trusts (signing key and prepayment
 * top-up KA key) and takes the new supplier's top-up counter floor, so the old supplier's commands and UTRNs
 * stop working.
 */
export function replaceSupplierCredentials(
  state: MeterState,
  device: DeviceModel,
  supplier: TrustedSupplier,
  topUpFloor: bigint,
): void {
  const profile = device.profile.trustedSupplier;
  const isDefault =
    supplier.supplierId === profile.supplierId &&
    supplier.keyId === profile.keyId &&
    supplier.topUpKey === profile.topUpKey &&
    supplier.signingKey === profile.signingKey;
  state.trust = isDefault ? null : { ...supplier };
  state.topUpHwm = topUpFloor;
}

/**
 * Installs a supplier's credentials with its counter floors, as 6.23 (a new supplier, on the CoS party's
 * authority) and 6.15.1 (the supplier rolling its own key) both do: the same supplier again cannot lower its own
 * top-up floor, which would reopen its old UTRNs, and its commands must carry counters above its request floor
 * from now on (never lowered). Returns the floors now in force, decimal.
 */
export function installSupplierCredentials(
  state: MeterState,
  device: DeviceModel,
  supplier: TrustedSupplier,
  floors: { topUpFloor: string; supplierFloor: string },
): { topUpFloor: string; supplierFloor: string } {
  const previous = trustedSupplier(state, device).supplierId;
  const floor = BigInt(floors.topUpFloor);
  const mark = previous === supplier.supplierId && state.topUpHwm > floor ? state.topUpHwm : floor;
  replaceSupplierCredentials(state, device, supplier, mark);
  const counterFloor = raiseCounterFloor(state, supplier.supplierId, BigInt(floors.supplierFloor));
  return { topUpFloor: mark.toString(), supplierFloor: counterFloor.toString() };
}

/**
 * 6.23 (change of supplier): the device installs supplier credentials only on the authority of the Change of
 * Supplier party (GBCS CS02b, "supplierByTransCoS"): its ECDSA P-256 / SHA-256 signature (DER, base64) over
 * credentialSwapPayload of exactly this swap (this device and request, these credentials and floor) must
 * verify with the CoS party public key the device was configured with. Anything else is PERMISSION_DENIED and
 * the device keeps the credentials it has.
 */
export function checkCosSignature(
  device: DeviceModel,
  swap: CredentialSwap,
  signature: string | undefined,
): void {
  const key = device.profile.cosPartyPublicKey;
  if (!key) {
    throw new DccError(
      GrpcStatus.PERMISSION_DENIED,
      'SRV 6.23: the device holds no CoS party key, so it installs no new supplier credentials',
    );
  }
  if (!signature) {
    throw new DccError(
      GrpcStatus.PERMISSION_DENIED,
      'SRV 6.23: the credential swap is not signed by the CoS party',
    );
  }
  let valid = false;
  try {
    const bytes = credentialSwapPayload(swap);
    valid = verify('sha256', bytes, { key, dsaEncoding: 'der' }, Buffer.from(signature, 'base64'));
  } catch {
    valid = false;
  }
  if (!valid) {
    throw new DccError(
      GrpcStatus.PERMISSION_DENIED,
      'SRV 6.23: the CoS party signature does not verify for this device, request and credentials',
    );
  }
}
