import { DccError, flowRateTenThousandths, GAS_LIMITS, positiveDecimal } from '@dcc/domain';
import type { GasConversionParams, GasFlowParams, GasLatchChange } from '@dcc/meter';
import {
  GasSupplyStateChange,
  type UpdateDeviceConfigurationGasConversion,
  type UpdateDeviceConfigurationGasFlow,
} from '@dcc/proto';

/** 6.6: DUIS's decimals → the model's numbers (the hub checked them; an adapter's mail is checked again). */
export function gasConversionParams(
  srv: string,
  body: UpdateDeviceConfigurationGasConversion,
): GasConversionParams {
  const params: GasConversionParams = {};
  const { calorificValue: cv, conversionFactor: cf } = GAS_LIMITS;
  if (body.calorificValue !== undefined)
    params.calorificValue = decimal(srv, 'calorific_value', body.calorificValue, cv);
  if (body.conversionFactor !== undefined)
    params.conversionFactor = decimal(srv, 'conversion_factor', body.conversionFactor, cf);
  return params;
}

function decimal(
  srv: string,
  field: string,
  value: string,
  limits: { fractionDigits: number; max: number },
): number {
  const number = positiveDecimal(value, limits.fractionDigits, limits.max);
  if (number === undefined) throw DccError.invalidArgument(`SRV ${srv}: ${field} holds "${value}"`);
  return number;
}

const CHANGES: Partial<Record<GasSupplyStateChange, GasLatchChange>> = {
  [GasSupplyStateChange.GAS_SUPPLY_STATE_CHANGE_UNCHANGED]: 'unchanged',
  [GasSupplyStateChange.GAS_SUPPLY_STATE_CHANGE_LOCKED]: 'locked',
  [GasSupplyStateChange.GAS_SUPPLY_STATE_CHANGE_UNLOCKED]: 'unlocked',
};

function change(srv: string, field: string, value: GasSupplyStateChange): GasLatchChange {
  const latch = CHANGES[value];
  if (!latch) throw DccError.invalidArgument(`SRV ${srv}: ${field} must be unchanged, locked or unlocked`);
  return latch;
}

/** 6.7: either spelling of the rate → ten-thousandths of m3/h; the latches → the model's words. */
export function gasFlowParams(srv: string, body: UpdateDeviceConfigurationGasFlow): GasFlowParams {
  if (!body.uncontrolledGasFlowRate) {
    throw DccError.invalidArgument(`SRV ${srv}: uncontrolled_gas_flow_rate is missing`);
  }
  return {
    rateTenThousandths: flowRateTenThousandths(body.uncontrolledGasFlowRate),
    stabilisationS: body.stabilisationPeriodS,
    measurementS: body.measurementPeriodS,
    depletion: change(srv, 'supply_depletion_state', body.supplyDepletionState),
    tamper: change(srv, 'supply_tamper_state', body.supplyTamperState),
  };
}
