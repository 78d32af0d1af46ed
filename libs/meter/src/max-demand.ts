import type { DeviceModel } from './device-model.js';
import type { DemandRegister, MaxDemandState, MeterState } from './meter-state.js';
import { ceilTo, DAY_MS, floorTo, HALF_HOUR_MS } from './time.js';

/**
 * An ESME's maximum demand registers (4.12.1, 4.12.2; reset by 6.18.2, window set by 6.18.1): the highest demand,
 * the average active power over a half-hour demand period, since each register was last reset, with the start of
 * that half hour. The configurable-time register counts only the half hours that start inside the daily UTC
 * window 6.18.1 set (none until it is set). Registers are brought up to date from the metered profile whenever
 * they are read or changed: the half hours since the last update, at most LOOKBACK_MS of them (a meter first
 * read counts its last 31 days), never before the state's log horizon (the profile is exact only after it).
 */
export const LOOKBACK_MS = 31 * DAY_MS;

const NONE: DemandRegister = [0, 0];

function fresh(at: number): MaxDemandState {
  return {
    import: [...NONE],
    export: [...NONE],
    window: [...NONE],
    windowStartS: 0,
    windowEndS: 0,
    scannedToMs: floorTo(at, HALF_HOUR_MS) - LOOKBACK_MS,
  };
}

function raise(register: DemandRegister, powerW: number, atMs: number): void {
  if (powerW > register[0]) {
    register[0] = powerW;
    register[1] = atMs;
  }
}

function inWindow(md: MaxDemandState, slotMs: number): boolean {
  const secondOfDay = (slotMs - floorTo(slotMs, DAY_MS)) / 1000;
  return secondOfDay >= md.windowStartS && secondOfDay < md.windowEndS;
}

/** The registers with every completed half hour up to `at` counted (updates the state). */
export function currentMaxDemand(state: MeterState, device: DeviceModel, at: number): MaxDemandState {
  const md = (state.maxDemand ??= fresh(at));
  const end = floorTo(at, HALF_HOUR_MS);
  const first = Math.max(md.scannedToMs, end - LOOKBACK_MS, ceilTo(state.logHorizonMs, HALF_HOUR_MS));
  const count = Math.max(0, (end - first) / HALF_HOUR_MS);
  if (count > 0) {
    const imports = device.metering.importProfile(state, first, count);
    const exports = device.metering.exportProfile(state, first, count);
    const offset = state.clockOffsetMs;
    for (let i = 0; i < count; i++) {
      const slotMs = first + i * HALF_HOUR_MS;
      // Wh over half an hour is twice that in W on average.
      const importW = Math.round(imports[i]! * 2);
      raise(md.import, importW, slotMs + offset);
      raise(md.export, Math.round(exports[i]! * 2), slotMs + offset);
      if (inWindow(md, slotMs)) raise(md.window, importW, slotMs + offset);
    }
  }
  md.scannedToMs = Math.max(md.scannedToMs, end);
  return md;
}

export type DemandRegisterName = 'import' | 'export' | 'window';

/** 6.18.2: zeroes the named registers (after counting what came before). */
export function resetMaxDemand(
  state: MeterState,
  device: DeviceModel,
  at: number,
  registers: readonly DemandRegisterName[],
): MaxDemandState {
  const md = currentMaxDemand(state, device, at);
  for (const name of registers) md[name] = [...NONE];
  return md;
}

/** 6.18.1: a new window; its register starts again from zero (it measured another window before). */
export function setDemandWindow(
  state: MeterState,
  device: DeviceModel,
  at: number,
  window: { startS: number; endS: number },
): MaxDemandState {
  const md = currentMaxDemand(state, device, at);
  md.windowStartS = window.startS;
  md.windowEndS = window.endS;
  md.window = [...NONE];
  return md;
}
