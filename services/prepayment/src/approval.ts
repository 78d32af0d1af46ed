import { SmiDeviceStatus } from '@dcc/proto';
import type { MeterPointFacts } from './meter-point.js';

/** The hub's checks of one payment: the meter and supplier to ask and issue for, or why not. */
export type Approval =
  | { approved: true; supplierId: string; deviceId: string; kaPublicKey: Uint8Array }
  | { approved: false; reason: string };

/**
 * The hub's own checks before the supplier is asked (supplier-approval.ts): the customer's meter point is
 * registered, has a commissioned meter with a registered KA key (without it no UTRN can be made for the
 * device), and its registered supplier now is one that delegates issuing to this service
 * (PREPAYMENT_SUPPLIER_IDS, with its top-up key held here). Whether the customer is valid and the meter in
 * prepayment mode is the supplier's to say.
 */
export function approve(facts: MeterPointFacts, suppliers: ReadonlySet<string>): Approval {
  const { meter, supplierId } = facts;
  if (!meter) return { approved: false, reason: 'no meter is installed at the meter point' };
  if (meter.status !== SmiDeviceStatus.SMI_DEVICE_STATUS_COMMISSIONED) {
    return { approved: false, reason: `meter ${meter.deviceId} is not commissioned` };
  }
  if (meter.kaPublicKey.length === 0) {
    return { approved: false, reason: `meter ${meter.deviceId} has no registered key-agreement key` };
  }
  if (supplierId === '') return { approved: false, reason: 'no supplier is registered for the meter point' };
  if (!suppliers.has(supplierId)) {
    return { approved: false, reason: `supplier ${supplierId} does not issue top-ups through this service` };
  }
  return { approved: true, supplierId, deviceId: meter.deviceId, kaPublicKey: meter.kaPublicKey };
}
