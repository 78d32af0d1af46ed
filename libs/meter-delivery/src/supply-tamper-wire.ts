import { DccError } from '@dcc/domain';
import {
  ElectricitySupplyTamperState,
  type ElectricitySupplyTamperStateSet,
  type SetElectricitySupplyTamperState,
} from '@dcc/proto';
import type { SrvBodyMap, SrvParamMap, SupplyTamperAction } from '@dcc/meter';

const ACTION: Partial<Record<ElectricitySupplyTamperState, SupplyTamperAction>> = {
  [ElectricitySupplyTamperState.ELECTRICITY_SUPPLY_TAMPER_STATE_UNCHANGED]: 'unchanged',
  [ElectricitySupplyTamperState.ELECTRICITY_SUPPLY_TAMPER_STATE_LOCKED]: 'locked',
};
const STATE: Record<SupplyTamperAction, ElectricitySupplyTamperState> = {
  unchanged: ElectricitySupplyTamperState.ELECTRICITY_SUPPLY_TAMPER_STATE_UNCHANGED,
  locked: ElectricitySupplyTamperState.ELECTRICITY_SUPPLY_TAMPER_STATE_LOCKED,
};

/** 6.25's body as the device model takes it. */
export function supplyTamperParams(v: SetElectricitySupplyTamperState): SrvParamMap['6.25'] {
  const action = ACTION[v.supplyTamperState];
  if (!action) throw DccError.invalidArgument('SRV 6.25: supply_tamper_state must be UNCHANGED or LOCKED');
  return { supplyTamperState: action };
}

/** 6.25's answer: the setting the ESME now holds. */
export function supplyTamperSet(b: SrvBodyMap['6.25']): ElectricitySupplyTamperStateSet {
  return { supplyTamperState: STATE[b.supplyTamperState], meterTimeMs: b.meterTimeMs };
}
