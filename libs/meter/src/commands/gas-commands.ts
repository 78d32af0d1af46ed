import { GAS_LIMITS } from '@dcc/domain';
import { changeConversion, conversionValues, gasFlow, gasRegisters, volumeDm3 } from '../gas.js';
import { DAY_MS, floorTo } from '../time.js';
import type { SrvHandler } from './handler.js';
import { done, meterTime, type ExecContext } from './outcome.js';
import { Params } from './params.js';
import type {
  GasConfigurationReading,
  GasConversionParams,
  GasFlowParams,
  GasLatchChange,
  GasNetworkDataReading,
} from './gas-types.js';

function gasConfiguration(ctx: ExecContext): GasConfigurationReading {
  const { cv, cf } = conversionValues(ctx.state, ctx.at);
  return {
    calorificValue: cv,
    conversionFactor: cf,
    flow: { ...gasFlow(ctx.state) },
    meterTimeMs: meterTime(ctx),
  };
}

/** 6.2.8 Read Device Configuration (Gas): conversion values and the uncontrolled gas flow check in force. */
export const readGasConfiguration: SrvHandler<undefined, GasConfigurationReading> = {
  parse: (raw) => Params.none('6.2.8', raw),
  execute: (ctx) => done(gasConfiguration(ctx)),
};

/**
 * 6.6 Update Device Configuration (Gas Conversion): energy is derived with the new values from now on; what
 * the meter derived before stays (gas.ts).
 */
export const updateGasConversion: SrvHandler<GasConversionParams, GasConfigurationReading> = {
  parse(raw) {
    const p = new Params('6.6', raw).only('calorificValue', 'conversionFactor');
    p.atLeastOne('calorificValue', 'conversionFactor');
    const cv = p.optionalNumber('calorificValue', 0, GAS_LIMITS.calorificValue.max);
    const cf = p.optionalNumber('conversionFactor', 0, GAS_LIMITS.conversionFactor.max);
    if (cv === 0 || cf === 0) throw p.error('calorificValue and conversionFactor must be above 0');
    return {
      ...(cv === undefined ? {} : { calorificValue: cv }),
      ...(cf === undefined ? {} : { conversionFactor: cf }),
    };
  },
  execute(ctx, params) {
    changeConversion(ctx.state, ctx.device, ctx.at, {
      ...(params.calorificValue === undefined ? {} : { cv: params.calorificValue }),
      ...(params.conversionFactor === undefined ? {} : { cf: params.conversionFactor }),
    });
    return done(gasConfiguration(ctx));
  },
};

const LATCH_CHANGES: readonly GasLatchChange[] = ['unchanged', 'locked', 'unlocked'];

function latch(current: boolean, change: GasLatchChange): boolean {
  return change === 'unchanged' ? current : change === 'locked';
}

/** 6.7 Update Device Configuration (Gas Flow): the GSME's uncontrolled gas flow check and its two latches. */
export const updateGasFlow: SrvHandler<GasFlowParams, GasConfigurationReading> = {
  parse(raw) {
    const p = new Params('6.7', raw).only(
      'rateTenThousandths',
      'stabilisationS',
      'measurementS',
      'depletion',
      'tamper',
    );
    const change = (key: string): GasLatchChange => {
      const value = p.raw(key);
      if (!LATCH_CHANGES.includes(value as GasLatchChange)) {
        throw p.error(`${key} must be one of ${LATCH_CHANGES.join(', ')}`);
      }
      return value as GasLatchChange;
    };
    const { stabilisationPeriodS: st, measurementPeriodS: me } = GAS_LIMITS;
    return {
      rateTenThousandths: p.integer('rateTenThousandths', 0, GAS_LIMITS.flowRateTenThousandths.max),
      stabilisationS: p.integer('stabilisationS', st.min, st.max),
      measurementS: p.integer('measurementS', me.min, me.max),
      depletion: change('depletion'),
      tamper: change('tamper'),
    };
  },
  execute(ctx, params) {
    const now = gasFlow(ctx.state);
    const gas = (ctx.state.gas ??= { conversions: [], flow: null });
    gas.flow = {
      rateTenThousandths: params.rateTenThousandths,
      stabilisationS: params.stabilisationS,
      measurementS: params.measurementS,
      depletionLocked: latch(now.depletionLocked, params.depletion),
      tamperLocked: latch(now.tamperLocked, params.tamper),
    };
    return done(gasConfiguration(ctx));
  },
  // The GSME applies the check on its valve; the GPF keeps no copy of the rate (SECMP0023, citing CHTS).
  unsupportedBy: (profile) =>
    profile.deviceType === 'GSME' ? undefined : 'only the GSME holds the uncontrolled gas flow check',
};

/**
 * 14.1 Record Network Data (GAS): the gas transporter's snapshot of the consumption register (volume and
 * energy) and the volume of the last complete UTC day.
 */
export const recordGasNetworkData: SrvHandler<undefined, GasNetworkDataReading> = {
  parse: (raw) => Params.none('14.1', raw),
  execute(ctx) {
    const dayEnd = floorTo(ctx.at, DAY_MS);
    const dayStart = dayEnd - DAY_MS;
    return done({
      registers: gasRegisters(ctx.state, ctx.device, ctx.at),
      lastDayVolumeDm3: volumeDm3(ctx.state, ctx.device, dayEnd) - volumeDm3(ctx.state, ctx.device, dayStart),
      lastDayStartMs: dayStart,
      meterTimeMs: meterTime(ctx),
    });
  },
};
