import type { DeviceModel } from './device-model.js';
import type { LoadLimitSettings, LoadLimitSupplyAction, MeterState } from './meter-state.js';

/**
 * Load limiting, simplified: a power threshold (6.4.1) and a counter of the supplied half hours whose average
 * import exceeded it (read by 4.15, zeroed by 6.4.2). Counting is closed-form over the deterministic profile, so
 * nothing is stored per event. 6.4.1 also sets the load limit period, the restoration period and the supply action
 * (Unchanged or Disable); the device keeps them, answers them in every load limit read, and keeps them while the
 * threshold is off. Not modelled: the supply actually being disabled (and re-armed after the restoration period)
 * when a half hour exceeds the limit, nor a period finer than the half-hour profile.
 */
export function loadLimitCounter(state: MeterState, device: DeviceModel, t: number): number {
  const limit = state.loadLimit;
  if (!limit || t <= limit.sinceMs) return limit?.counterBase ?? 0;
  // A half hour exceeds W watts on average when it holds more than W / 2 Wh.
  const thresholdWh = limit.thresholdW / 2;
  const count = (a: number, b: number) =>
    device.imports.countAbove(b, thresholdWh) - device.imports.countAbove(a, thresholdWh);
  let events = count(limit.sinceMs, t);
  for (const [start, end] of state.offIntervals) {
    const from = Math.max(start, limit.sinceMs);
    const to = Math.min(end ?? t, t);
    if (from < to) events -= count(from, to);
  }
  return limit.counterBase + events;
}

/** 6.4.1: a new threshold (null switches load limiting off); the events counted so far are kept. */
export function configureLoadLimit(
  state: MeterState,
  device: DeviceModel,
  thresholdW: number | null,
  t: number,
): void {
  const counted = loadLimitCounter(state, device, t);
  state.loadLimit = thresholdW === null ? null : { thresholdW, counterBase: counted, sinceMs: t };
}

/** 6.4.2: the counter starts again from zero. */
export function resetLoadLimitCounter(state: MeterState, t: number): void {
  if (state.loadLimit) state.loadLimit = { ...state.loadLimit, counterBase: 0, sinceMs: t };
}

/** 6.4.1's other settings: each one given replaces the meter's; absent ones are kept. */
export function updateLoadLimitSettings(
  state: MeterState,
  given: { periodS?: number; restorationPeriodS?: number; supplyAction?: LoadLimitSupplyAction },
): void {
  const current: LoadLimitSettings = state.loadLimitSettings ?? {
    periodS: null,
    restorationPeriodS: null,
    supplyAction: null,
  };
  state.loadLimitSettings = {
    periodS: given.periodS ?? current.periodS,
    restorationPeriodS: given.restorationPeriodS ?? current.restorationPeriodS,
    supplyAction: given.supplyAction ?? current.supplyAction,
  };
}
