import type { UpdateVoltageConfigParams } from '@dcc/meter';
import type { UpdateDeviceConfigurationVoltage } from '@dcc/proto';

/**
 * 6.5's body as the device model takes it: the thresholds and periods given (the model names and checks them;
 * absent ones stay as they are), the counters kept or not, and the settings per phase.
 */
export function voltageConfigParams(v: UpdateDeviceConfigurationVoltage): UpdateVoltageConfigParams {
  const { rmsVoltageCountersNotReset, polyPhaseVoltageSettings, ...settings } = v;
  const params: UpdateVoltageConfigParams = Object.fromEntries(
    Object.entries(settings).filter(([, value]) => value !== undefined),
  );
  if (rmsVoltageCountersNotReset) params.keepCounters = true;
  if (polyPhaseVoltageSettings.length > 0) params.phases = polyPhaseVoltageSettings.map((p) => ({ ...p }));
  return params;
}
