import { LoadLimitSupplyState } from '@dcc/proto';
import { describe, expect, it } from 'vitest';
import { loadLimitData, loadLimitParams } from './load-limit-params.js';

const DISABLE = LoadLimitSupplyState.LOAD_LIMIT_SUPPLY_STATE_DISABLE;
const UNCHANGED = LoadLimitSupplyState.LOAD_LIMIT_SUPPLY_STATE_UNCHANGED;

describe('6.4.1 on the wire: every DUIS element reaches the device and comes back in its answer', () => {
  it.each([
    [
      {
        thresholdW: 6_900,
        loadLimitPeriodS: 300,
        loadLimitRestorationPeriodS: 30,
        loadLimitSupplyState: DISABLE,
      },
      { thresholdW: 6_900, periodS: 300, restorationPeriodS: 30, supplyAction: 'disable' },
    ],
    [
      { thresholdW: 5_000, loadLimitSupplyState: UNCHANGED },
      { thresholdW: 5_000, supplyAction: 'unchanged' },
    ],
    [{}, { thresholdW: null }],
  ])('%j', (wire, model) => {
    expect(loadLimitParams(wire)).toEqual(model);
  });

  it('refuses an unspecified or unknown supply state', () => {
    for (const state of [
      LoadLimitSupplyState.LOAD_LIMIT_SUPPLY_STATE_UNSPECIFIED,
      9 as LoadLimitSupplyState,
    ]) {
      expect(() => loadLimitParams({ loadLimitSupplyState: state })).toThrow(/UNCHANGED or DISABLE/);
    }
  });

  it('answers the settings the meter holds, leaving out the ones never set', () => {
    const held = { thresholdW: 6_900, counter: 2, meterTimeMs: 1, periodS: 300, restorationPeriodS: 30 };
    expect(loadLimitData({ ...held, supplyAction: 'disable' })).toEqual({
      thresholdW: 6_900,
      counter: 2,
      meterTimeMs: 1,
      loadLimitPeriodS: 300,
      loadLimitRestorationPeriodS: 30,
      loadLimitSupplyState: DISABLE,
    });
    const none = { thresholdW: null, periodS: null, restorationPeriodS: null, supplyAction: null };
    expect(loadLimitData({ ...held, ...none })).toEqual({ counter: 2, meterTimeMs: 1 });
  });
});
