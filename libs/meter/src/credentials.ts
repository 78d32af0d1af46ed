import { DccError, GrpcStatus } from '@dcc/domain';
import type { DeviceModel } from './device-model.js';
import type { MeterState, TrustedSupplier } from './meter-state.js';

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
 * 6.23 (change of supplier): the device replaces the supplier credentials it trusts and takes the new
 * supplier's top-up counter floor, so the old supplier's commands and UTRNs stop working.
 */
export function replaceSupplierCredentials(
  state: MeterState,
  device: DeviceModel,
  supplier: TrustedSupplier,
  topUpFloor: bigint,
): void {
  const profile = device.profile.trustedSupplier;
  const isDefault = supplier.supplierId === profile.supplierId && supplier.keyId === profile.keyId;
  state.trust = isDefault ? null : { ...supplier };
  state.topUpHwm = topUpFloor;
}
