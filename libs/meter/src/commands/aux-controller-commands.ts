import {
  auxLoadOf,
  auxLoadView,
  controllerConfigurationReading,
  controllerOperationalReading,
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
import { done, meterTime, type ExecContext } from './outcome.js';
import { Params } from './params.js';

/*
 * The auxiliary controllers (ALCS or APC, levels in percent): 6.14.3 sets their schedule, 7.13 commands a level
 * for a window, 7.16 caps an APC's level for a window; 7.14 and 7.15 read them back. Controllers are numbered
 * 1 to 5 on every device that has them (the hub refuses other numbers before I99).
 */

const LEVEL_KEYS = [
  'auxiliaryControllerN',
  'startDateTimeMs',
  'endDateTimeMs',
  'commandedStateLevel',
  'inputFromControlledLoad',
] as const;

function operational(ctx: ExecContext): ControllerOperationalReading {
  return controllerOperationalReading(auxLoadView(ctx.state, ctx.device.profile), meterTime(ctx));
}

function configuration(ctx: ExecContext): ControllerConfigurationReading {
  return controllerConfigurationReading(auxLoadView(ctx.state, ctx.device.profile), meterTime(ctx));
}

function levelHandler(
  srv: '7.13' | '7.16',
  slot: 'commanded' | 'apcLimit',
): SrvHandler<ControllerLevel, ControllerOperationalReading> {
  return {
    parse: (raw) => controllerLevel(checked(srv, raw, LEVEL_KEYS)),
    execute(ctx, level) {
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
    const f = checked('6.14.3', raw, ['schedules', 'specialDays']);
    return { schedules: controllerSchedules(f['schedules']), specialDays: specialDays(f['specialDays']) };
  },
  execute(ctx, params) {
    const aux = auxLoadOf(ctx.state, ctx.device.profile);
    aux.controllerSchedules = params.schedules;
    aux.controllerSpecialDays = params.specialDays;
    return done(configuration(ctx));
  },
};
