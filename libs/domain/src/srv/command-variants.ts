/*
 * What each DUIS command variant means for delivery (DCC-REFERENCE §1.3). Which variants an SRV takes comes
 * from its catalogue row and the SRV table (srv-support.ts availableCommandVariants).
 */

/** CV 4: a critical request submitted for transform; the hub answers with the pre-command to sign. */
export const TRANSFORM_VARIANT = 4;
/** CV 8: a non-device request the hub answers itself. */
export const NON_DEVICE_VARIANT = 8;
/** CV 5, 6 and 7 carry a signed pre-command, whose signed parameters replace the request body. */
export const SIGNED_VARIANTS: ReadonlySet<number> = new Set([5, 6, 7]);
/**
 * Local delivery: the command is returned to the User, who delivers it to the device itself. CV 2 and 6 only
 * locally; CV 3 and 7 over the WAN as CV 1 and 5 are, and a local copy too.
 */
export const LOCAL_DELIVERY_VARIANTS: ReadonlySet<number> = new Set([2, 3, 6, 7]);
const WAN_AND_LOCAL_VARIANTS: ReadonlySet<number> = new Set([3, 7]);

export function isLocalDelivery(commandVariant: number): boolean {
  return LOCAL_DELIVERY_VARIANTS.has(commandVariant);
}

/** Whether a device-bound command variant sends the command over the WAN (all but 2, 4 and 6). */
export function dispatchesOverWan(commandVariant: number): boolean {
  if (commandVariant === TRANSFORM_VARIANT) return false;
  return !isLocalDelivery(commandVariant) || WAN_AND_LOCAL_VARIANTS.has(commandVariant);
}
