export { ConsumptionModel, HALF_HOUR_MS } from './consumption-model.js';
export {
  MeterDevice,
  LONG_OUTAGE_MS,
  type DeviceEvents,
  type KeypadEvents,
  type ImportRegisterReading,
} from './meter-device.js';
export { SimulatedFleet, type FleetDevice } from './simulated-fleet.js';
export {
  DEFAULT_FIRMWARE_VERSION,
  DEFAULT_SIGNING_KEY_ID,
  DEFAULT_SUPPLIER_ID,
  meterProfile,
  type MeterOptions,
  type MeterProfile,
} from './device-model.js';
export type { KeypadDevice } from './keypad-entry.js';
export { AlertCode, alertCodeHex, isConfigurableAlert, type DeviceAlert } from './alerts.js';
export type { Signer } from './credentials.js';
export { SUPPORTED_SRVS } from './commands/registry.js';
export type * from './commands/types.js';
export type * from './commands/tariff-types.js';
export type * from './commands/gas-types.js';
export {
  DEFAULT_GAS_FLOW,
  STANDARD_CALORIFIC_VALUE,
  STANDARD_CONVERSION_FACTOR,
  type GasFlowConfig,
  type GasRegisterReading,
} from './gas.js';
export type {
  JsonValue,
  LoadLimitSupplyAction,
  SupplyTamperAction,
  MeterState,
  NonDisablementCalendar,
  PaymentMode,
  SupplyState,
  TrustedSupplier,
} from './meter-state.js';
export { stateFromBytes, stateToBytes, type StoredMeterState } from './state-codec.js';
export {
  createUtrn,
  decodeUtrn,
  verifyUtrn,
  type UtrnFields,
  type UtrnValueClass,
  type UtrnVerdict,
  type UtrnVerifierKeys,
  type UtrnRequest,
} from './utrn.js';
export { gbcsCheckDigit, gbcsCheckDigitValid } from '@dcc/domain';
export { DeviceKaKeys, type KaKeyPair } from './device-ka-keys.js';
export { ManualClock, MeterHarness, type SendOptions } from './meter-harness.js';
export { TEST_ACB_CA, TEST_ACB_KA_CERTIFICATE, TEST_OTHER_CA } from './acb-test-certificates.js';
export { mix32 } from './hash-mix.js';
export { DEFAULT_SUB_GHZ_CONFIG, type SubGhzConfig } from './sub-ghz.js';
export type * from './commands/security-credential-commands.js';
export type { RemotePartyDetails, TrustAnchorCell } from './security-credentials.js';
