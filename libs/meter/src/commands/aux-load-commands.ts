import {
  alcsReading,
  auxLoadOf,
  auxLoadView,
  switchCount,
  type AlcsReading,
  type AuxLoadState,
} from '../aux-load.js';
import type { BoostButtonReading } from '../aux-load.js';
import {
  alcSchedules,
  checked,
  specialDays,
  type AlcDescriptionsParams,
  type AlcSchedulerParams,
  type AuxOverrideParams,
  type BoostChangeParams,
  type BoostReadParams,
  type RandomisedOffsetParams,
  type SwitchParams,
} from './aux-load-params.js';
import type { SrvHandler } from './handler.js';
import { done, meterTime, refused, type ExecContext, type Outcome } from './outcome.js';
import { Params } from './params.js';

/*
 * The ESME's (or HCALCS's) auxiliary load switches: 6.14.1, 6.14.2, 7.5-7.12. Every write answers with the switch
 * data after it (as 7.7 reads it). A switch number the device does not have (an HCALCS has only switch 1) is the
 * device's refusal NO_SUCH_SWITCH, and nothing changes.
 */

const MINUTE_MS = 60_000;

function reading(ctx: ExecContext): AlcsReading {
  return alcsReading(auxLoadView(ctx.state, ctx.device.profile), ctx.device.deviceId, meterTime(ctx));
}

/** Runs `change` when every switch named exists on this device, then answers the switch data. */
function onSwitches(
  ctx: ExecContext,
  indexes: readonly number[],
  change: (aux: AuxLoadState) => void,
): Outcome<AlcsReading> {
  const count = switchCount(ctx.device.profile);
  const missing = indexes.find((i) => i > count);
  if (missing !== undefined) {
    return refused('NO_SUCH_SWITCH', `switch ${missing}: a ${ctx.device.profile.deviceType} has ${count}`);
  }
  change(auxLoadOf(ctx.state, ctx.device.profile));
  return done(reading(ctx));
}

function overrideHandler(srv: '7.5' | '7.6', active: boolean): SrvHandler<AuxOverrideParams, AlcsReading> {
  return {
    parse(raw) {
      const f = checked(srv, raw, ['switchIndex', 'durationMinutes']);
      return { switchIndex: f['switchIndex'] as number, durationMinutes: f['durationMinutes'] as number };
    },
    execute: (ctx, { switchIndex, durationMinutes }) =>
      onSwitches(ctx, [switchIndex], (aux) => {
        aux.switches[switchIndex - 1]!.override = {
          active,
          untilMs: meterTime(ctx) + durationMinutes * MINUTE_MS,
        };
      }),
  };
}

/** 7.5: the load is connected for the duration, whatever the schedule says. */
export const activateAuxiliaryLoad = overrideHandler('7.5', true);
/** 7.6: the load is disconnected for the duration. */
export const deactivateAuxiliaryLoad = overrideHandler('7.6', false);

/** 7.8: the override ends; the switch follows its schedule again. */
export const resetAuxiliaryLoad: SrvHandler<SwitchParams, AlcsReading> = {
  parse(raw) {
    const f = checked('7.8', raw, ['switchIndex']);
    return { switchIndex: f['switchIndex'] as number };
  },
  execute: (ctx, { switchIndex }) =>
    onSwitches(ctx, [switchIndex], (aux) => {
      aux.switches[switchIndex - 1]!.override = null;
    }),
};

export const readAlcsData: SrvHandler<undefined, AlcsReading> = {
  parse: (raw) => Params.none('7.7', raw),
  execute: (ctx) => done(reading(ctx)),
};

function boostHandler(srv: '7.9' | '7.10', on: boolean): SrvHandler<BoostChangeParams, AlcsReading> {
  return {
    parse(raw) {
      const f = checked(srv, raw, ['switches']);
      const switches = (f['switches'] as { switchIndex: number; selected: boolean }[]).map((s) => ({
        switchIndex: s.switchIndex,
        selected: s.selected,
      }));
      return { switches };
    },
    execute(ctx, { switches }) {
      const chosen = switches.filter((s) => s.selected).map((s) => s.switchIndex);
      return onSwitches(ctx, chosen, (aux) => {
        for (const index of chosen) aux.switches[index - 1]!.onBoostButton = on;
      });
    },
  };
}

/** 7.9, 7.10: which switches the consumer's boost button turns on. */
export const addAuxiliaryLoadToBoostButton = boostHandler('7.9', true);
export const removeAuxiliaryLoadFromBoostButton = boostHandler('7.10', false);

/** 7.11: the switches on the boost button, for the period asked. */
export const readBoostButtonDetails: SrvHandler<BoostReadParams, BoostButtonReading> = {
  parse(raw) {
    const f = checked('7.11', raw, ['period']);
    const { startMs, endMs } = f['period'] as { startMs: number; endMs: number };
    return { period: { startMs, endMs } };
  },
  execute(ctx, { period }) {
    const aux = auxLoadView(ctx.state, ctx.device.profile);
    const switchIndexes = aux.switches.flatMap((s, i) => (s.onBoostButton ? [i + 1] : []));
    return done({ switchIndexes, period, meterTimeMs: meterTime(ctx) });
  },
};

/** 7.12: the limit of the random delay the ESME adds to each scheduled switching. */
export const setRandomisedOffsetLimit: SrvHandler<RandomisedOffsetParams, AlcsReading> = {
  parse(raw) {
    const f = checked('7.12', raw, ['randomisedOffsetLimitS']);
    return { randomisedOffsetLimitS: f['randomisedOffsetLimitS'] as number };
  },
  execute: (ctx, { randomisedOffsetLimitS }) =>
    onSwitches(ctx, [], (aux) => {
      aux.randomisedOffsetLimitS = randomisedOffsetLimitS;
    }),
};

/** 6.14.1: the switches' descriptions; those not named keep theirs. */
export const updateAlcDescriptions: SrvHandler<AlcDescriptionsParams, AlcsReading> = {
  parse(raw) {
    const f = checked('6.14.1', raw, ['descriptions']);
    const descriptions = (f['descriptions'] as { switchIndex: number; description: string }[]).map((d) => ({
      switchIndex: d.switchIndex,
      description: d.description,
    }));
    return { descriptions };
  },
  execute: (ctx, { descriptions }) =>
    onSwitches(
      ctx,
      descriptions.map((d) => d.switchIndex),
      (aux) => {
        for (const d of descriptions) aux.switches[d.switchIndex - 1]!.description = d.description;
      },
    ),
};

/**
 * 6.14.2: replaces the connection schedule and its special days, and sets the switches' types (the ESME's own
 * ALCS or the HCALCS named). Device future-datable.
 */
export const updateAlcScheduler: SrvHandler<AlcSchedulerParams, AlcsReading> = {
  parse(raw) {
    const f = checked('6.14.2', raw, ['schedules', 'specialDays', 'switchTypes']);
    const switchTypes = ((f['switchTypes'] ?? []) as { switchIndex: number; hcalcsDeviceId?: string }[]).map(
      (t) => ({ switchIndex: t.switchIndex, hcalcsDeviceId: t.hcalcsDeviceId ?? '' }),
    );
    return {
      schedules: alcSchedules(f['schedules']),
      specialDays: specialDays(f['specialDays']),
      switchTypes,
    };
  },
  execute(ctx, params) {
    const named = [
      ...params.schedules.map((s) => s.switchIndex),
      ...params.switchTypes.map((t) => t.switchIndex),
    ];
    return onSwitches(ctx, named, (aux) => {
      aux.alcSchedules = params.schedules;
      aux.alcSpecialDays = params.specialDays;
      for (const t of params.switchTypes) aux.switches[t.switchIndex - 1]!.hcalcsDeviceId = t.hcalcsDeviceId;
    });
  },
};
