export { type Appointment } from './appointments.js';
export {
  APPOINTMENT_ROLE_NAMES,
  AppointmentRole,
  CSP_REGION_NAMES,
  CspRegion,
  DEVICE_STATUS_NAMES,
  DEVICE_TYPE_NAMES,
  DeviceStatus,
  DeviceType,
  type DeviceTypeName,
  Fuel,
  FUEL_NAMES,
  METER_KIND_NAMES,
  MeterKind,
  NO_PARTY,
  SMETS1_COHORT_NAMES,
  Smets1Cohort,
} from './codes.js';
export { generateEstate, type Estate, type EstatePoint } from './estate-generator.js';
export { eui64FromWords, eui64Words, parseEui64Words, type Eui64Words } from './eui64-words.js';
export { InventoryDetails, type DeviceDescription } from './inventory-details.js';
export { addEstatePoint, loadEstate } from './load-estate.js';
export { MAX_PARTIES, PartyTable } from './party-table.js';
export { Random } from './random.js';
export { appointmentRoleFor } from './registration-roles.js';
export type { DeviceFacts, LinkedDeviceChange, MeterPointInfo, MeterPointInput } from './meter-point.js';
export { NO_LINK } from './linked-devices.js';
export { RegistryView, type RegistryViewOptions } from './registry-view.js';
export {
  demonstrationEstate,
  ESTATE_ID_BASES,
  estateFeedLines,
  estateEsmeVariant,
  estateGridConnection,
  ESTATE_GRID,
  estatePremises,
  NON_USER_PARTIES,
  type EstateFeedOptions,
} from './estate-feed.js';
