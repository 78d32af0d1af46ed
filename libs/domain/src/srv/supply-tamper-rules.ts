import { oneOf, type BodyRule } from './body-rules.js';

/** 6.25: DUIS SupplyTamperState, required, as ElectricitySupplyTamperState numbers it. */
export const supplyTamperRules: readonly BodyRule[] = [
  oneOf('supplyTamperState', { 1: 'unchanged', 2: 'locked' }),
];
