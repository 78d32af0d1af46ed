import { LOAD_LIMIT_PERIOD_S } from '@dcc/domain';
import {
  configureLoadLimit,
  loadLimitCounter,
  resetLoadLimitCounter,
  updateLoadLimitSettings,
} from '../load-limit.js';
import type { LoadLimitSupplyAction } from '../meter-state.js';
import { armSupply, disableSupply, enableSupply, type SupplyRefusal } from '../supply-state.js';
import type { SrvHandler } from './handler.js';
import { done, meterTime, refused, type ExecContext, type Outcome } from './outcome.js';
import { Params } from './params.js';
import type { LoadLimitData, LoadLimitParams, SupplyStatus } from './types.js';

function status(ctx: ExecContext): SupplyStatus {
  return { supply: ctx.state.supply, meterTimeMs: meterTime(ctx) };
}

function outcome(ctx: ExecContext, refusal: SupplyRefusal | undefined): Outcome<SupplyStatus> {
  return refusal ? refused(refusal.reason, refusal.message) : done(status(ctx));
}

/** 7.1, 7.2, 7.3: see the state machine in supply-state.ts. */
export const enableSupplyCommand: SrvHandler<undefined, SupplyStatus> = {
  parse: (raw) => Params.none('7.1', raw),
  execute: (ctx) => outcome(ctx, enableSupply(ctx.state, ctx.device, ctx.at)),
};

export const disableSupplyCommand: SrvHandler<undefined, SupplyStatus> = {
  parse: (raw) => Params.none('7.2', raw),
  execute(ctx) {
    disableSupply(ctx.state, ctx.device, ctx.at);
    return done(status(ctx));
  },
};

export const armSupplyCommand: SrvHandler<undefined, SupplyStatus> = {
  parse: (raw) => Params.none('7.3', raw),
  execute: (ctx) => outcome(ctx, armSupply(ctx.state, ctx.device, ctx.at)),
};

export const readSupplyStatus: SrvHandler<undefined, SupplyStatus> = {
  parse: (raw) => Params.none('7.4', raw),
  execute: (ctx) => done(status(ctx)),
  beforeCommissioning: true,
};

function loadLimitData(ctx: ExecContext): LoadLimitData {
  return {
    thresholdW: ctx.state.loadLimit?.thresholdW ?? null,
    counter: loadLimitCounter(ctx.state, ctx.device, ctx.at),
    meterTimeMs: meterTime(ctx),
    periodS: ctx.state.loadLimitSettings?.periodS ?? null,
    restorationPeriodS: ctx.state.loadLimitSettings?.restorationPeriodS ?? null,
    supplyAction: ctx.state.loadLimitSettings?.supplyAction ?? null,
  };
}

const SUPPLY_ACTIONS: readonly LoadLimitSupplyAction[] = ['unchanged', 'disable'];
const optionalPeriod = (p: Params, key: string) =>
  p.has(key) ? { [key]: p.integer(key, LOAD_LIMIT_PERIOD_S.min, LOAD_LIMIT_PERIOD_S.max) } : {};

/** 6.4.1: the threshold and the other settings (see load-limit.ts). Device future-datable. */
export const configureLoadLimiting: SrvHandler<LoadLimitParams, LoadLimitData> = {
  parse(raw) {
    const p = new Params('6.4.1', raw).only('thresholdW', 'periodS', 'restorationPeriodS', 'supplyAction');
    const action = p.has('supplyAction') ? p.string('supplyAction') : undefined;
    if (action !== undefined && !SUPPLY_ACTIONS.includes(action as LoadLimitSupplyAction))
      throw p.error(`supplyAction must be ${SUPPLY_ACTIONS.join(' or ')}`);
    return {
      thresholdW: p.raw('thresholdW') === null ? null : p.integer('thresholdW', 1, 1_000_000),
      ...optionalPeriod(p, 'periodS'),
      ...optionalPeriod(p, 'restorationPeriodS'),
      ...(action === undefined ? {} : { supplyAction: action as LoadLimitSupplyAction }),
    };
  },
  execute(ctx, { thresholdW, ...settings }) {
    configureLoadLimit(ctx.state, ctx.device, thresholdW, ctx.at);
    updateLoadLimitSettings(ctx.state, settings);
    return done(loadLimitData(ctx));
  },
};

export const resetLoadLimitCounterCommand: SrvHandler<undefined, LoadLimitData> = {
  parse: (raw) => Params.none('6.4.2', raw),
  execute(ctx) {
    resetLoadLimitCounter(ctx.state, ctx.at);
    return done(loadLimitData(ctx));
  },
};

export const readLoadLimitData: SrvHandler<undefined, LoadLimitData> = {
  parse: (raw) => Params.none('4.15', raw),
  execute: (ctx) => done(loadLimitData(ctx)),
};
