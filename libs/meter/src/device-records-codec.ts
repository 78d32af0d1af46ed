import type { JsonValue, MeterState } from './meter-state.js';

/**
 * The stored form (state-codec.ts) of the device's event logs, maximum demand registers and power thresholds,
 * each left out at its default:
 * | key | field                                                                                      |
 * |-----|--------------------------------------------------------------------------------------------|
 * | lg  | event logs: [event, security, power, alcs], each flattened [code, atMs, ...]                |
 * | md  | max demand: import W, at, export W, at, window W, at, window start s, end s, scanned to     |
 * | pt  | power thresholds: low-medium W, medium-high W                                              |
 * | bc  | billing calendar: fuel (e, g), the calendar as sent, set at                                |
 * | bt  | change of mode or tariff captures, flattened [atMs, import Wh, ...]                        |
 */
export interface StoredDeviceRecords {
  lg?: [number[], number[], number[], number[]];
  md?: number[];
  pt?: [number, number];
  bc?: ['e' | 'g', JsonValue, number];
  bt?: number[];
}

const LOGS = ['event', 'security', 'power', 'alcs'] as const;

export function encodeDeviceRecords(state: MeterState, out: StoredDeviceRecords): void {
  if (state.deviceLogs) {
    const logs = state.deviceLogs;
    out.lg = LOGS.map((name) => logs[name].flat()) as StoredDeviceRecords['lg'];
  }
  if (state.maxDemand) {
    const md = state.maxDemand;
    out.md = [...md.import, ...md.export, ...md.window, md.windowStartS, md.windowEndS, md.scannedToMs];
  }
  if (state.powerThresholdsW) out.pt = [...state.powerThresholdsW];
  const bc = state.billingCalendar;
  if (bc) out.bc = [bc.fuel === 'gas' ? 'g' : 'e', structuredClone(bc.calendar), bc.setAtMs];
  if (state.modeOrTariffCaptures.length > 0) out.bt = state.modeOrTariffCaptures.flat();
}

const pairs = (flat: number[]): number[][] =>
  Array.from({ length: flat.length / 2 }, (_, i) => [flat[2 * i]!, flat[2 * i + 1]!]);

export function decodeDeviceRecords(stored: StoredDeviceRecords, state: MeterState): void {
  if (stored.lg) {
    const [event, security, power, alcs] = stored.lg.map(pairs) as [
      number[][],
      number[][],
      number[][],
      number[][],
    ];
    state.deviceLogs = { event, security, power, alcs };
  }
  const md = stored.md;
  if (md) {
    const at = (i: number) => md[i] ?? 0;
    state.maxDemand = {
      import: [at(0), at(1)],
      export: [at(2), at(3)],
      window: [at(4), at(5)],
      windowStartS: at(6),
      windowEndS: at(7),
      scannedToMs: at(8),
    };
  }
  if (stored.pt) state.powerThresholdsW = [stored.pt[0], stored.pt[1]];
  if (stored.bc) {
    const [fuel, calendar, setAtMs] = stored.bc;
    state.billingCalendar = { fuel: fuel === 'g' ? 'gas' : 'electricity', calendar, setAtMs };
  }
  if (stored.bt) state.modeOrTariffCaptures = pairs(stored.bt);
}
