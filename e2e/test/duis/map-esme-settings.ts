import { ElectricitySupplyTamperState, LoadLimitSupplyState } from '@dcc/proto';
import { Unexpressible, type BodyReader } from './body-reader.js';
import { executionDateTime, type RequestBody, type SampleMapper } from './map-common.js';

const SUPPLY_STATES: Record<string, LoadLimitSupplyState> = {
  Unchanged: LoadLimitSupplyState.LOAD_LIMIT_SUPPLY_STATE_UNCHANGED,
  Disable: LoadLimitSupplyState.LOAD_LIMIT_SUPPLY_STATE_DISABLE,
};

const optionalNumber = (body: BodyReader, name: string) => {
  const text = body.optionalText(name);
  return text === undefined ? undefined : Number(text);
};

/** 6.4.1 General Settings: every element, each optional in DUIS (absent keeps the meter's setting). */
function loadLimiting(body: BodyReader): RequestBody {
  const supply = body.optionalText('LoadLimitSupplyState');
  const state = supply === undefined ? undefined : SUPPLY_STATES[supply];
  if (supply !== undefined && state === undefined)
    throw new Unexpressible(`LoadLimitSupplyState "${supply}" is not Unchanged or Disable`);
  const fields = {
    thresholdW: optionalNumber(body, 'LoadLimitPowerThreshold'),
    loadLimitPeriodS: optionalNumber(body, 'LoadLimitPeriod'),
    loadLimitRestorationPeriodS: optionalNumber(body, 'LoadLimitRestorationPeriod'),
    loadLimitSupplyState: state,
  };
  const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  return {
    $case: 'updateDeviceConfigurationLoadLimiting',
    value: { ...executionDateTime(body), ...defined },
  };
}

const TAMPER_STATES: Record<string, ElectricitySupplyTamperState> = {
  Unchanged: ElectricitySupplyTamperState.ELECTRICITY_SUPPLY_TAMPER_STATE_UNCHANGED,
  Locked: ElectricitySupplyTamperState.ELECTRICITY_SUPPLY_TAMPER_STATE_LOCKED,
};

/** 6.25: the one element, SupplyTamperState. */
function supplyTamper(body: BodyReader): RequestBody {
  const text = body.text('SupplyTamperState');
  const state = TAMPER_STATES[text];
  if (state === undefined) throw new Unexpressible(`SupplyTamperState "${text}" is not Unchanged or Locked`);
  return { $case: 'setElectricitySupplyTamperState', value: { supplyTamperState: state } };
}

/** The ESME's own settings: load limiting and the supply tamper state. */
export const ESME_SETTINGS_MAPPERS: Record<string, SampleMapper> = {
  '6.4.1': loadLimiting,
  '6.25': supplyTamper,
};
