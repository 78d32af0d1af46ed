import { DccError } from '@dcc/domain';
import {
  LoadLimitSupplyState,
  type LoadLimitData as ProtoLoadLimitData,
  type UpdateDeviceConfigurationLoadLimiting,
} from '@dcc/proto';
import type { LoadLimitParams, LoadLimitSupplyAction, SrvBodyMap } from '@dcc/meter';

/** The wire's LoadLimitSupplyState and the device model's supply action, both ways. */
const ACTION: Partial<Record<LoadLimitSupplyState, LoadLimitSupplyAction>> = {
  [LoadLimitSupplyState.LOAD_LIMIT_SUPPLY_STATE_UNCHANGED]: 'unchanged',
  [LoadLimitSupplyState.LOAD_LIMIT_SUPPLY_STATE_DISABLE]: 'disable',
};
const STATE: Record<LoadLimitSupplyAction, LoadLimitSupplyState> = {
  unchanged: LoadLimitSupplyState.LOAD_LIMIT_SUPPLY_STATE_UNCHANGED,
  disable: LoadLimitSupplyState.LOAD_LIMIT_SUPPLY_STATE_DISABLE,
};

/** 6.4.1's body as the device model takes it: absent settings stay absent (the meter keeps its own). */
export function loadLimitParams(v: UpdateDeviceConfigurationLoadLimiting): LoadLimitParams {
  const params: LoadLimitParams = { thresholdW: v.thresholdW ?? null };
  if (v.loadLimitPeriodS !== undefined) params.periodS = v.loadLimitPeriodS;
  if (v.loadLimitRestorationPeriodS !== undefined) params.restorationPeriodS = v.loadLimitRestorationPeriodS;
  if (v.loadLimitSupplyState !== undefined) {
    const action = ACTION[v.loadLimitSupplyState];
    if (!action)
      throw DccError.invalidArgument('SRV 6.4.1: load_limit_supply_state must be UNCHANGED or DISABLE');
    params.supplyAction = action;
  }
  return params;
}

/** The answer of 4.15, 6.4.1 and 6.4.2: the counter and every setting the meter holds. */
export function loadLimitData(b: SrvBodyMap['4.15']): ProtoLoadLimitData {
  return {
    ...(b.thresholdW === null ? {} : { thresholdW: b.thresholdW }),
    counter: b.counter,
    meterTimeMs: b.meterTimeMs,
    ...(b.periodS === null ? {} : { loadLimitPeriodS: b.periodS }),
    ...(b.restorationPeriodS === null ? {} : { loadLimitRestorationPeriodS: b.restorationPeriodS }),
    ...(b.supplyAction === null ? {} : { loadLimitSupplyState: STATE[b.supplyAction] }),
  };
}
