import { GasSupplyStateChange } from '@dcc/proto';
import { Unexpressible, type BodyReader } from './body-reader.js';
import { empty, type RequestBody, type SampleMapper } from './map-common.js';

/** 6.6: CalorificValue and ConversionFactor travel as the decimals DUIS writes. */
function gasConversion(body: BodyReader): RequestBody {
  const calorificValue = body.optionalText('CalorificValue');
  const conversionFactor = body.optionalText('ConversionFactor');
  return {
    $case: 'updateDeviceConfigurationGasConversion',
    value: {
      ...(calorificValue === undefined ? {} : { calorificValue }),
      ...(conversionFactor === undefined ? {} : { conversionFactor }),
    },
  };
}

const STATE_CHANGES: Record<string, GasSupplyStateChange> = {
  Unchanged: GasSupplyStateChange.GAS_SUPPLY_STATE_CHANGE_UNCHANGED,
  Locked: GasSupplyStateChange.GAS_SUPPLY_STATE_CHANGE_LOCKED,
  Unlocked: GasSupplyStateChange.GAS_SUPPLY_STATE_CHANGE_UNLOCKED,
};

function stateChange(body: BodyReader, name: string): GasSupplyStateChange {
  const text = body.text(name);
  const change = STATE_CHANGES[text];
  if (change === undefined) throw new Unexpressible(`${name} "${text}" is not Unchanged, Locked or Unlocked`);
  return change;
}

/** 6.7: the rate in whichever of DUIS's two spellings the sample uses. */
function gasFlow(body: BodyReader): RequestBody {
  const decimal = body.optionalText('UncontrolledGasFlowRateDecimal');
  const rate =
    decimal === undefined
      ? {
          $case: 'uncontrolledGasFlowRateTenThousandthsM3PerH' as const,
          value: Number(body.text('UncontrolledGasFlowRate')),
        }
      : { $case: 'uncontrolledGasFlowRateDecimalM3PerH' as const, value: decimal };
  return {
    $case: 'updateDeviceConfigurationGasFlow',
    value: {
      uncontrolledGasFlowRate: rate,
      supplyDepletionState: stateChange(body, 'SupplyDepletionState'),
      supplyTamperState: stateChange(body, 'SupplyTamperState'),
      stabilisationPeriodS: Number(body.text('StabilisationPeriod')),
      measurementPeriodS: Number(body.text('MeasurementPeriod')),
    },
  };
}

/** The gas meter's own SRVs. */
export const GAS_MAPPERS: Record<string, SampleMapper> = {
  '6.2.8': empty('readDeviceConfigurationGas'),
  '6.6': gasConversion,
  '6.7': gasFlow,
  '14.1': empty('recordNetworkDataGas'),
};
