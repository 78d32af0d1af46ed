// What differs per generation: the one interface an adapter implements.
export type { DeviceTransport } from './device-transport.js';
// The parts an adapter composes.
export { deliveryConfig, type DeliveryConfig } from './delivery-config.js';
export {
  authoriseOperator,
  operatorAccessConfig,
  operatorAccessOf,
  operatorUnary,
  type OperatorAccess,
} from '@dcc/service-kit'; // operators' APIs: one rule for every service that serves one
export {
  DeliveryActor,
  WAKE_REMINDER,
  type DeliveryActorOptions,
  type DeviceSlot,
} from './delivery-actor.js';
export {
  deliveryNames,
  deliverySettings,
  startDeliveryRuntime,
  type DeliveryRuntime,
  type DeliveryRuntimeSettings,
} from './delivery-runtime.js';
export {
  cosPartyKey,
  SupplierKeys,
  verifyCriticalCommand,
  type TrustingDevice,
  type VerifiedCommand,
} from './critical-verification.js';
export { alertMessageId, publishAlerts, type AlertSource } from './alert-egress.js';
export { deviceProvisioning, deviceProvisioningConfig } from './device-provisioning.js';
// The steps of one command, for adapters and tests that need them singly.
export { createCommandHandler } from './command-handler.js';
export { inventoryEffects, type InventoryEffects } from './inventory-effects.js';
export { hanLinkReportOf } from './inventory-links.js';
export { optOutReportOf } from './opt-out-effects.js';
export { deviceLogRestoredReportOf } from './restore-effects.js';
export { openSession, runOnDevice, type DeviceSession } from './device-turn.js';
export { packBytes, unpackBytes } from './packed-bytes.js';
export { deviceCallOf, type DeviceCall } from './srv-params.js';
export { penceString, responseOf } from './srv-results.js';
export { applyGridEvent, GRID_EVENT_HEADER, isGridEventMail, mailGridEvent } from './grid-event.js';
export { transferFirmware, type FirmwareImageSource } from './firmware-transfer.js';
// Lossy delivery lanes (CSP regions, S1 service providers), the device edge's memory, operators' switches.
export {
  DeliveryLanes,
  type DeliveryLanesOptions,
  type DeviceAnswer,
  type LaneStats,
} from './delivery-lanes.js';
export { executeOnce, type DeviceMemory, type RememberedAnswer } from './device-memory.js';
export { SeededLink, type AttemptFate, type LinkDeliveryModel } from './link-delivery-model.js';
export { SharedSwitches, SWITCHES_BUCKET } from './shared-switches.js';
export { isDeviceEdgeMail, KEYPAD_ENTRY_HEADER } from './device-edge-mail.js';
