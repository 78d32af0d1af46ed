import type { Tariff } from '../meter-state.js';
import { DEFAULT_TARIFF } from '../tariff.js';
import type { ExecContext } from './outcome.js';

/** A new tariff meters from `at`: the TOU registers carry on from their values then. */
export function applyTariff({ state, device, at }: ExecContext, tariff: Tariff): void {
  state.touBaseWh = device.metering.touRegistersWh(state, at);
  state.touBaseMs = at;
  state.tariff = sameTariff(tariff, DEFAULT_TARIFF) ? null : tariff;
}

function sameTariff(a: Tariff, b: Tariff): boolean {
  return (
    a.table === b.table &&
    a.standingMpPerDay === b.standingMpPerDay &&
    a.pricesMp.length === b.pricesMp.length &&
    a.pricesMp.every((p, i) => p === b.pricesMp[i])
  );
}
