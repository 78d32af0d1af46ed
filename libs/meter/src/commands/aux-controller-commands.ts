import { controllerLevelRules, controllerSchedulerRule } from '@dcc/domain';
import {
  auxLoadOf,
  controllerConfigurationReading,
  controllerOperationalReading,
  switchCount,
  type ControllerConfigurationReading,
  type ControllerLevel,
  type ControllerOperationalReading,
} from '../aux-load.js';
import {
  checked,
  controllerLevel,
  controllerSchedules,
  specialDays,
  type ControllerSchedulerParams,
} from './aux-load-params.js';
import type { SrvHandler } from './handler.js';
import { done, meterTime, refused, type ExecContext, type Outcome } from './outcome.js';
import { Params } from './params.js';

/*
 * The auxiliary controllers (ALCS or APC, levels in percent): 6.14.3 sets their schedule, 7.13 commands a level
 * for a window, 7.16 caps an APC's level for a window; 7.14 and 7.15 read them back. A controller number the
 * device does not have is the device's refusal NO_SUCH_CONTROLLER, and nothing changes.
 */

const LEVEL_KEYS = [
  'auxiliaryControllerN',
  'startDateTimeMs',
  'endDateTimeMs',
  'commandedStateLevel',
  'inputFromControlledLoad',
] as const;

function missingController(ctx: ExecContext, numbers: readonly number[]): Outcome<never> | undefined {
  const count = switchCount(ctx.device.profile);
  const missing = numbers.find((n) => n > count);
  return missing === undefined
    ? undefined
    : refused(
        'NO_SUCH_CONTROLLER',
        `auxiliary controller ${missing}: a ${ctx.device.profile.deviceType} has ${count}`,
      );
}

function operational(ctx: ExecContext): ControllerOperationalReading {
  return controllerOperationalReading(auxLoadOf(ctx.state, ctx.device.profile), meterTime(ctx));
}

function configuration(ctx: ExecContext): ControllerConfigurationReading {
  return controllerConfigurationReading(auxLoadOf(ctx.state, ctx.device.profile), meterTime(ctx));
}

function levelHandler(
  srv: '7.13' | '7.16',
  slot: 'commanded' | 'apcLimit',
): SrvHandler<ControllerLevel, ControllerOperationalReading> {
  return {
    parse: (raw) => controllerLevel(checked(srv, raw, LEVEL_KEYS, controllerLevelRules)),
    execute(ctx, level) {
      const refusal = missingController(ctx, [level.auxiliaryControllerN]);
      if (refusal) return refusal;
      auxLoadOf(ctx.state, ctx.device.profile).controllers[level.auxiliaryControllerN - 1]![slot] = level;
      return done(operational(ctx));
    },
  };
}

/** 7.13: the controller holds the level in the window (a window already past is kept, and has no effect). */
export const setAuxiliaryControllerState = levelHandler('7.13', 'commanded');
/** 7.16: the APC's level is at most this in the window. */
export const limitApcLevel = levelHandler('7.16', 'apcLimit');

export const readAuxiliaryControllerConfigurationData: SrvHandler<undefined, ControllerConfigurationReading> =
  {
    parse: (raw) => Params.none('7.14', raw),
    execute: (ctx) => done(configuration(ctx)),
  };

export const readAuxiliaryControllerOperationalData: SrvHandler<undefined, ControllerOperationalReading> = {
  parse: (raw) => Params.none('7.15', raw),
  execute: (ctx) => done(operational(ctx)),
};

/** 6.14.3: replaces the controllers' schedule and its special days. Device future-datable. */
export const updateAuxiliaryControllerScheduler: SrvHandler<
  ControllerSchedulerParams,
  ControllerConfigurationReading
> = {
  parse(raw) {
    const f = checked('6.14.3', raw, ['schedules', 'specialDays'], [controllerSchedulerRule]);
    return { schedules: controllerSchedules(f['schedules']), specialDays: specialDays(f['specialDays']) };
  },
  execute(ctx, params) {
    const refusal = missingController(
      ctx,
      params.schedules.map((s) => s.auxiliaryControllerN),
    );
    if (refusal) return refusal;
    const aux = auxLoadOf(ctx.state, ctx.device.profile);
    aux.controllerSchedules = params.schedules;
    aux.controllerSpecialDays = params.specialDays;
    return done(configuration(ctx));
  },
};
