import type { GasRegisterReading, SrvBodyMap } from '@dcc/meter';
import { GasSupplyLatch, type GasConfiguration, type GasRegisters, type ServiceResponse } from '@dcc/proto';

type Body = ServiceResponse['body'];

/** A DUIS decimal (calorific value, conversion factor) as the wire carries it: no float noise. */
function decimal(value: number, fractionDigits: number): string {
  return String(Number(value.toFixed(fractionDigits)));
}

export function gasRegisters(r: GasRegisterReading): GasRegisters {
  return {
    consumptionVolumeDm3: r.consumptionVolumeDm3,
    consumptionEnergyWh: r.consumptionEnergyWh,
    calorificValue: decimal(r.calorificValue, 3),
    conversionFactor: decimal(r.conversionFactor, 5),
  };
}

const latch = (locked: boolean) =>
  locked ? GasSupplyLatch.GAS_SUPPLY_LATCH_LOCKED : GasSupplyLatch.GAS_SUPPLY_LATCH_UNLOCKED;

/** A GSME's supply depletion and tamper states in its 6.2.4 answer; unspecified for other devices. */
export function gasSupplyLatches(states: { depletionLocked: boolean; tamperLocked: boolean } | undefined) {
  return {
    supplyDepletionState: states
      ? latch(states.depletionLocked)
      : GasSupplyLatch.GAS_SUPPLY_LATCH_UNSPECIFIED,
    supplyTamperState: states ? latch(states.tamperLocked) : GasSupplyLatch.GAS_SUPPLY_LATCH_UNSPECIFIED,
  };
}

function gasConfiguration(b: SrvBodyMap['6.2.8']): GasConfiguration {
  return {
    calorificValue: decimal(b.calorificValue, 3),
    conversionFactor: decimal(b.conversionFactor, 5),
    flow: {
      uncontrolledGasFlowRateTenThousandthsM3PerH: b.flow.rateTenThousandths,
      stabilisationPeriodS: b.flow.stabilisationS,
      measurementPeriodS: b.flow.measurementS,
      supplyDepletionState: latch(b.flow.depletionLocked),
      supplyTamperState: latch(b.flow.tamperLocked),
    },
    meterTimeMs: b.meterTimeMs,
  };
}

/** The gas meter's own SRVs, from the model's answer to the response body (gas_srvs.proto). */
export const GAS_BODIES: { [S in '6.2.8' | '6.6' | '6.7' | '14.1']: (body: SrvBodyMap[S]) => Body } = {
  '6.2.8': (b) => ({ $case: 'gasConfiguration', value: gasConfiguration(b) }),
  '6.6': (b) => ({ $case: 'gasConversionUpdated', value: gasConfiguration(b) }),
  '6.7': (b) => ({ $case: 'gasFlowUpdated', value: gasConfiguration(b) }),
  '14.1': (b) => ({
    $case: 'gasNetworkData',
    value: {
      registers: gasRegisters(b.registers),
      lastDayVolumeDm3: b.lastDayVolumeDm3,
      lastDayStartMs: b.lastDayStartMs,
      meterTimeMs: b.meterTimeMs,
    },
  }),
};
