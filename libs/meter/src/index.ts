export { ConsumptionModel, HALF_HOUR_MS } from './consumption-model.js';
export { MeterDevice, type ImportRegisterReading } from './meter-device.js';
export { SimulatedFleet, type FleetDevice } from './simulated-fleet.js';
