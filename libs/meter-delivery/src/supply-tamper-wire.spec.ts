import { ElectricitySupplyTamperState } from '@dcc/proto';
import { describe, expect, it } from 'vitest';
import { supplyTamperParams, supplyTamperSet } from './supply-tamper-wire.js';

const LOCKED = ElectricitySupplyTamperState.ELECTRICITY_SUPPLY_TAMPER_STATE_LOCKED;
const UNCHANGED = ElectricitySupplyTamperState.ELECTRICITY_SUPPLY_TAMPER_STATE_UNCHANGED;

describe('6.25 on the wire', () => {
  it('carries both states to the device and back', () => {
    expect(supplyTamperParams({ supplyTamperState: LOCKED })).toEqual({ supplyTamperState: 'locked' });
    expect(supplyTamperParams({ supplyTamperState: UNCHANGED })).toEqual({ supplyTamperState: 'unchanged' });
    expect(supplyTamperSet({ supplyTamperState: 'locked', meterTimeMs: 5 })).toEqual({
      supplyTamperState: LOCKED,
      meterTimeMs: 5,
    });
  });

  it('refuses an unspecified state', () => {
    expect(() =>
      supplyTamperParams({
        supplyTamperState: ElectricitySupplyTamperState.ELECTRICITY_SUPPLY_TAMPER_STATE_UNSPECIFIED,
      }),
    ).toThrow(/UNCHANGED or LOCKED/);
  });
});
