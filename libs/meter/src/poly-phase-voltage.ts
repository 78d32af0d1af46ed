import { isPolyPhase } from '@dcc/domain';
import type { MeterProfile } from './device-model.js';
import type { MeterState } from './meter-state.js';
import { DEFAULT_VOLTAGE_CONFIG } from './voltage.js';

/** One phase's average RMS voltage settings on a poly-phase ESME (DUIS PolyPhaseVoltageSettings). */
export interface PhaseVoltage {
  /** 1 to 3. */
  phase: number;
  averageOverV: number;
  averageUnderV: number;
  averagePeriodS: number;
}

export const PHASES = [1, 2, 3] as const;

/** Whether the device is a poly-phase ESME (its variant, from the inventory through its profile). */
export const polyPhase = (profile: MeterProfile): boolean =>
  profile.deviceType === 'ESME' && isPolyPhase(profile.esmeVariant);

/** A poly-phase ESME's settings per phase (6.5's, else the defaults for every phase); none on any other device. */
export function phaseVoltages(state: MeterState, profile: MeterProfile): PhaseVoltage[] {
  if (!polyPhase(profile)) return [];
  const { averageOverV, averageUnderV, averagePeriodS } = DEFAULT_VOLTAGE_CONFIG;
  return PHASES.map(
    (phase) =>
      state.phaseVoltage?.find((p) => p.phase === phase) ?? {
        phase,
        averageOverV,
        averageUnderV,
        averagePeriodS,
      },
  );
}

/**
 * The per-phase settings after a 6.5 (the phases it names replaced, the others kept), or why they cannot be: each
 * phase's under-voltage threshold must stay below its over-voltage one. They are not held against the meter's
 * RMS extreme thresholds: DCC's own poly-phase sample (ECS29b) sets phases 2 and 3 to 126 / 96 V beside an extreme
 * under-voltage threshold of 180 V.
 */
export function mergePhaseVoltages(
  current: readonly PhaseVoltage[],
  update: readonly PhaseVoltage[],
): PhaseVoltage[] | string {
  const merged = current.map((phase) => update.find((u) => u.phase === phase.phase) ?? phase);
  const wrong = merged.find((p) => !(p.averageUnderV < p.averageOverV));
  return wrong
    ? `phase ${wrong.phase}: the average under-voltage threshold must be below the average over-voltage one`
    : merged;
}

/** What the state keeps: null while every phase is at its defaults. */
export function storedPhaseVoltages(phases: readonly PhaseVoltage[]): PhaseVoltage[] | null {
  const { averageOverV, averageUnderV, averagePeriodS } = DEFAULT_VOLTAGE_CONFIG;
  const isDefault = phases.every(
    (p) =>
      p.averageOverV === averageOverV &&
      p.averageUnderV === averageUnderV &&
      p.averagePeriodS === averagePeriodS,
  );
  return isDefault ? null : phases.map((p) => ({ ...p }));
}
