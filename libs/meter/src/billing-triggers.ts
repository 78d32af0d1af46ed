import type { DeviceModel } from './device-model.js';
import type { MeterState } from './meter-state.js';

/**
 * The change of mode / tariff triggered billing data log (4.4.2): a meter captures its billing data each time it
 * executes a change of payment mode (1.6) or of tariff (1.1.1), now or when a future-dated one falls due. The
 * model captures the total import register and keeps the latest MODE_OR_TARIFF_CAPTURES.
 */
export const MODE_OR_TARIFF_CAPTURES = 12;

const TRIGGERS: ReadonlySet<string> = new Set(['1.1.1', '1.6']);

/** Records the capture an executed command triggers, if it is a change of mode or tariff. */
export function captureOnModeOrTariff(state: MeterState, device: DeviceModel, srv: string, at: number): void {
  if (!TRIGGERS.has(srv)) return;
  state.modeOrTariffCaptures.push([at, device.metering.importTotalWh(state, at)]);
  if (state.modeOrTariffCaptures.length > MODE_OR_TARIFF_CAPTURES) state.modeOrTariffCaptures.shift();
}
