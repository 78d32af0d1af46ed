import { DccError } from '@dcc/domain';
import { AlertCode, type DeviceAlert } from './alerts.js';
import type { DeviceModel } from './device-model.js';
import { mix32 } from './hash-mix.js';
import type { MeterState, VoltageConfig } from './meter-state.js';
import { HALF_HOUR_MS } from './time.js';

/** 6.5 template values (DCC-REFERENCE §6: sample data, not a network operator's settings). */
export const DEFAULT_VOLTAGE_CONFIG: VoltageConfig = {
  averageOverV: 264,
  averageUnderV: 200,
  extremeOverV: 287,
  extremeUnderV: 180,
  swellV: 253,
  sagV: 216,
  averagePeriodS: 30,
  extremePeriodS: 30,
  sagSwellPeriodS: 30,
};

/** Voltage event kinds, in the order of MeterState.voltageCounters. */
export const VOLTAGE_EVENT_KINDS = [
  'averageOver',
  'averageUnder',
  'extremeOver',
  'extremeUnder',
  'swell',
  'sag',
] as const;
export type VoltageEventKind = (typeof VOLTAGE_EVENT_KINDS)[number];

const EVENT_ALERTS: Record<VoltageEventKind, [start: number, end: number]> = {
  averageOver: [AlertCode.AVERAGE_RMS_OVER_VOLTAGE, AlertCode.AVERAGE_RMS_OVER_VOLTAGE_END],
  averageUnder: [AlertCode.AVERAGE_RMS_UNDER_VOLTAGE, AlertCode.AVERAGE_RMS_UNDER_VOLTAGE_END],
  extremeOver: [AlertCode.EXTREME_OVER_VOLTAGE, AlertCode.EXTREME_OVER_VOLTAGE_END],
  extremeUnder: [AlertCode.EXTREME_UNDER_VOLTAGE, AlertCode.EXTREME_UNDER_VOLTAGE_END],
  swell: [AlertCode.VOLTAGE_SWELL, AlertCode.VOLTAGE_SWELL_END],
  sag: [AlertCode.VOLTAGE_SAG, AlertCode.VOLTAGE_SAG_END],
};

export function voltageConfig(state: MeterState): VoltageConfig {
  return state.voltage ?? DEFAULT_VOLTAGE_CONFIG;
}

/** A 6.5 update merged into the configuration; INVALID_ARGUMENT when the thresholds end up out of order. */
export function mergeVoltageConfig(state: MeterState, update: Partial<VoltageConfig>): VoltageConfig {
  const next = { ...voltageConfig(state), ...update };
  const lowest = Math.min(next.sagV, next.averageUnderV);
  const highest = Math.max(next.swellV, next.averageOverV);
  if (
    !(next.extremeUnderV < lowest && next.averageUnderV < next.averageOverV && next.sagV < next.swellV) ||
    !(highest < next.extremeOverV)
  ) {
    throw DccError.invalidArgument(
      'SRV 6.5: thresholds must satisfy extreme under < sag, average under; average under < average over; ' +
        'sag < swell; swell, average over < extreme over',
    );
  }
  return next;
}

export function setVoltageConfig(state: MeterState, config: VoltageConfig): void {
  const isDefault = (Object.keys(config) as (keyof VoltageConfig)[]).every(
    (k) => config[k] === DEFAULT_VOLTAGE_CONFIG[k],
  );
  state.voltage = isDefault ? null : { ...config };
}

/** RMS voltage during the half hour containing `t`: deterministic, 224.0 to 240.0 V. */
export function rmsVoltageV(device: DeviceModel, t: number): number {
  const slot = Math.floor(t / HALF_HOUR_MS);
  return 224 + (mix32(device.voltageKey, slot) % 161) / 10;
}

/** Average RMS voltage over the day before `t`, 0.1 V resolution. */
export function averageRmsVoltageV(device: DeviceModel, t: number): number {
  let sum = 0;
  for (let i = 1; i <= 48; i++) sum += rmsVoltageV(device, t - i * HALF_HOUR_MS);
  return Math.round((sum / 48) * 10) / 10;
}

export function voltageCounters(state: MeterState): Record<VoltageEventKind, number> {
  const counters = state.voltageCounters ?? [];
  return Object.fromEntries(VOLTAGE_EVENT_KINDS.map((kind, i) => [kind, counters[i] ?? 0])) as Record<
    VoltageEventKind,
    number
  >;
}

/**
 * A voltage excursion the meter measured (spontaneous): every threshold it crossed for at least that
 * threshold's period counts an event and raises its start alert at `fromMs` and its end alert at `toMs` (meter
 * times). Within the normal band, or too short, nothing happens.
 */
export function recordExcursion(
  state: MeterState,
  excursion: { fromMs: number; toMs: number; rmsVoltageV: number },
  clockOffsetMs: number,
): DeviceAlert[] {
  const config = voltageConfig(state);
  const { fromMs, toMs, rmsVoltageV: v } = excursion;
  const lasted = (periodS: number) => toMs - fromMs >= periodS * 1_000;
  const kinds: VoltageEventKind[] = [];
  if (v > config.averageOverV && lasted(config.averagePeriodS)) kinds.push('averageOver');
  if (v < config.averageUnderV && lasted(config.averagePeriodS)) kinds.push('averageUnder');
  if (v > config.extremeOverV && lasted(config.extremePeriodS)) kinds.push('extremeOver');
  if (v < config.extremeUnderV && lasted(config.extremePeriodS)) kinds.push('extremeUnder');
  if (v > config.swellV && lasted(config.sagSwellPeriodS)) kinds.push('swell');
  if (v < config.sagV && lasted(config.sagSwellPeriodS)) kinds.push('sag');
  if (kinds.length === 0) return [];
  const counters = VOLTAGE_EVENT_KINDS.map((_, i) => state.voltageCounters?.[i] ?? 0);
  const alerts: DeviceAlert[] = [];
  for (const kind of kinds) {
    counters[VOLTAGE_EVENT_KINDS.indexOf(kind)]!++;
    alerts.push({ code: EVENT_ALERTS[kind][0], atMs: fromMs + clockOffsetMs });
  }
  for (const kind of kinds) alerts.push({ code: EVENT_ALERTS[kind][1], atMs: toMs + clockOffsetMs });
  state.voltageCounters = counters;
  return alerts;
}
