import { BODY_LIMITS, type BodyRule } from './body-rules.js';

/** DUIS SinglePhaseVoltageSettings on the API: the three averages a poly-phase request gives per phase instead. */
const SINGLE_PHASE = ['averageOverV', 'averageUnderV', 'averagePeriodS'] as const;
const inRange = (value: unknown, min: number, max: number, integer = false) =>
  typeof value === 'number' &&
  Number.isFinite(value) &&
  value >= min &&
  value <= max &&
  (!integer || Number.isInteger(value));

/**
 * 6.5's PolyPhaseVoltageSettings: 1 to 3 phases, each named once (1 to 3), with its average RMS over- and
 * under-voltage thresholds (volts) and measurement period (seconds) in the single-phase settings' ranges; and a
 * request gives either these or the single-phase averages (DUIS: a choice of the two), not both.
 */
export const polyPhaseVoltageRule: BodyRule = (fields) => {
  const phases = fields['polyPhaseVoltageSettings'] ?? [];
  if (!Array.isArray(phases) || phases.length > 3)
    return 'polyPhaseVoltageSettings must hold at most 3 phases';
  if (phases.length === 0) return undefined;
  const single = SINGLE_PHASE.filter((key) => fields[key] !== undefined && fields[key] !== null);
  if (single.length > 0) {
    return `give either polyPhaseVoltageSettings or the single-phase ${single.join(', ')}, not both`;
  }
  const { min, max } = BODY_LIMITS.voltagePeriodS;
  const seen = new Set<unknown>();
  for (const [i, entry] of phases.entries()) {
    const p = (entry ?? {}) as Record<string, unknown>;
    const name = `polyPhaseVoltageSettings[${i}]`;
    if (!inRange(p['phase'], 1, 3, true)) return `${name}.phase must be 1, 2 or 3`;
    if (seen.has(p['phase'])) return `${name}.phase ${String(p['phase'])} is given twice`;
    seen.add(p['phase']);
    for (const key of ['averageOverV', 'averageUnderV']) {
      if (!inRange(p[key], 0, BODY_LIMITS.maxVoltageV)) {
        return `${name}.${key} must be a number from 0 to ${BODY_LIMITS.maxVoltageV}`;
      }
    }
    if (!inRange(p['averagePeriodS'], min, max, true)) {
      return `${name}.averagePeriodS must be a whole number from ${min} to ${max}`;
    }
  }
  return undefined;
};
