import type { VoltageConfig } from '../meter-state.js';
import {
  mergePhaseVoltages,
  phaseVoltages,
  PHASES,
  polyPhase,
  storedPhaseVoltages,
  type PhaseVoltage,
} from '../poly-phase-voltage.js';
import { mergeVoltageConfig, setVoltageConfig, voltageConfig } from '../voltage.js';
import { DccError } from '@dcc/domain';
import type { SrvHandler } from './handler.js';
import { done, meterTime, refused, type ExecContext } from './outcome.js';
import { Params } from './params.js';
import type { Acknowledged, UpdateVoltageConfigParams, VoltageConfigReading } from './types.js';

const THRESHOLDS = [
  'averageOverV',
  'averageUnderV',
  'extremeOverV',
  'extremeUnderV',
  'swellV',
  'sagV',
] as const;
const PERIODS = ['averagePeriodS', 'extremePeriodS', 'sagSwellPeriodS'] as const;
/** DUIS SinglePhaseVoltageSettings: what a single- or twin-element ESME averages over its one phase. */
const SINGLE_PHASE = ['averageOverV', 'averageUnderV', 'averagePeriodS'] as const;

function parsePhases(p: Params): PhaseVoltage[] | undefined {
  if (!p.has('phases')) return undefined;
  const raw = p.raw('phases');
  if (!Array.isArray(raw) || raw.length < 1 || raw.length > PHASES.length) {
    throw p.error('phases must list 1 to 3 phases');
  }
  const phases = raw.map((entry: unknown) => {
    const q = new Params('6.5', entry).only('phase', 'averageOverV', 'averageUnderV', 'averagePeriodS');
    return {
      phase: q.integer('phase', 1, 3),
      averageOverV: q.optionalNumber('averageOverV', 0, 500) ?? Number.NaN,
      averageUnderV: q.optionalNumber('averageUnderV', 0, 500) ?? Number.NaN,
      averagePeriodS: q.integer('averagePeriodS', 1, 3_600),
    };
  });
  if (phases.some((ph) => Number.isNaN(ph.averageOverV) || Number.isNaN(ph.averageUnderV))) {
    throw p.error('each phase needs averageOverV and averageUnderV');
  }
  if (new Set(phases.map((ph) => ph.phase)).size !== phases.length) throw p.error('a phase is named twice');
  return phases;
}

/** The form of the settings that is not the device's variant's, named for the refusal; undefined when it fits. */
function wrongForm(ctx: ExecContext, params: UpdateVoltageConfigParams): string | undefined {
  const poly = polyPhase(ctx.device.profile);
  const variant = `${ctx.device.profile.esmeVariant}`;
  if (!poly && params.phases) {
    return `SRV 6.5: this ESME (variant ${variant}) has one phase: it takes no PolyPhaseVoltageSettings`;
  }
  const single = SINGLE_PHASE.filter((key) => params[key] !== undefined);
  if (poly && single.length > 0) {
    return `SRV 6.5: this poly-phase ESME (variant ${variant}) takes its averages per phase (PolyPhaseVoltageSettings), not ${single.join(', ')}`;
  }
  return undefined;
}

/** The settings after the update: the common thresholds, and a poly-phase ESME's phases (throws when out of order). */
function merged(ctx: ExecContext, { keepCounters: _keep, phases, ...settings }: UpdateVoltageConfigParams) {
  const config = mergeVoltageConfig(ctx.state, settings as Partial<VoltageConfig>);
  const current = phaseVoltages(ctx.state, ctx.device.profile);
  const perPhase = phases ? mergePhaseVoltages(current, phases) : current;
  if (typeof perPhase === 'string') throw DccError.invalidArgument(`SRV 6.5: ${perPhase}`);
  return { config, perPhase };
}

/**
 * 6.5: voltage thresholds (V) and the periods (s) an excursion must last to count: the RMS extreme, sag and swell
 * settings on every ESME; the average RMS settings once on a single- or twin-element ESME (DUIS
 * SinglePhaseVoltageSettings) and per phase on a poly-phase one (PolyPhaseVoltageSettings). The form that is not the
 * device's variant's is refused (WRONG_ESME_VARIANT) and nothing changes; thresholds out of order are
 * INVALID_ARGUMENT. The voltage event counters are zeroed unless the request keeps them.
 */
export const updateVoltageConfiguration: SrvHandler<UpdateVoltageConfigParams, Acknowledged> = {
  parse(raw) {
    const p = new Params('6.5', raw)
      .only(...THRESHOLDS, ...PERIODS, 'keepCounters', 'phases')
      .atLeastOne(...THRESHOLDS, ...PERIODS, 'phases');
    const out: UpdateVoltageConfigParams = {};
    if (p.has('keepCounters')) {
      if (typeof p.raw('keepCounters') !== 'boolean') throw p.error('keepCounters must be true or false');
      if (p.raw('keepCounters') === true) out.keepCounters = true;
    }
    for (const key of THRESHOLDS) {
      const value = p.optionalNumber(key, 0, 500);
      if (value !== undefined) out[key] = value;
    }
    for (const key of PERIODS) {
      if (p.has(key)) out[key] = p.integer(key, 1, 3_600);
    }
    const phases = parsePhases(p);
    if (phases) out.phases = phases;
    return out;
  },
  validate(ctx, params) {
    if (!wrongForm(ctx, params)) merged(ctx, params);
  },
  execute(ctx, params) {
    const wrong = wrongForm(ctx, params);
    if (wrong) return refused('WRONG_ESME_VARIANT', wrong);
    const { config, perPhase } = merged(ctx, params);
    setVoltageConfig(ctx.state, config);
    ctx.state.phaseVoltage = storedPhaseVoltages(perPhase);
    // New thresholds count from zero unless the sender asked to keep the counts (DUIS RMSVoltageCountersNotReset).
    if (!params.keepCounters) ctx.state.voltageCounters = null;
    return done({ meterTimeMs: meterTime(ctx) });
  },
};

/**
 * 6.2.1 Read Device Configuration (Voltage): what 6.5 set, else the device's defaults; a poly-phase ESME's per
 * phase, its single averages then repeating phase 1's.
 */
export const readVoltageConfiguration: SrvHandler<undefined, VoltageConfigReading> = {
  parse: (raw) => Params.none('6.2.1', raw),
  execute(ctx) {
    const phases = phaseVoltages(ctx.state, ctx.device.profile);
    const first = phases[0];
    const averages = first
      ? {
          averageOverV: first.averageOverV,
          averageUnderV: first.averageUnderV,
          averagePeriodS: first.averagePeriodS,
        }
      : {};
    return done({ ...voltageConfig(ctx.state), ...averages, phases, meterTimeMs: meterTime(ctx) });
  },
};
