import { AUX_LOAD_LIMITS, fnv1a32 } from '@dcc/domain';
import type { MeterProfile } from './device-model.js';
import { scheduledLevel, type ScheduleTiming, type SpecialDay, type TimedLevel } from './aux-schedule.js';

/*
 * Auxiliary load control on the device: an ESME drives up to five load switches (its own ALCS, or an HCALCS on
 * the HAN, as 6.14.2 says) and five auxiliary controllers (ALCS or APC, levels in percent). An HCALCS addressed
 * itself is one switch, with the five controllers. Shapes follow libs/proto auxiliary_load_control.proto so the adapters
 * pass them through; times here are the meter's clock, UTC milliseconds.
 */

/** 7.5/7.6: the state a switch holds against its schedule, until when. */
export interface SwitchOverride {
  active: boolean;
  untilMs: number;
}

export interface AuxSwitchState {
  /** 6.14.1; '' = none. */
  description: string;
  /** 6.14.2 SwitchTypeAndId: the HCALCS the switch is; '' = the ESME's own ALCS. */
  hcalcsDeviceId: string;
  /** 7.9/7.10. */
  onBoostButton: boolean;
  override: SwitchOverride | null;
}

export interface AlcsConnectionSchedule {
  switchIndex: number;
  activate: boolean;
  timing: ScheduleTiming;
}

export interface AuxiliaryControllerScheduleEntry {
  auxiliaryControllerN: number;
  commandedStateLevel: number;
  inputFromControlledLoad: boolean;
  timing: ScheduleTiming;
}

/** 7.13 and 7.16 (libs/proto AuxiliaryControllerLevel). */
export interface ControllerLevel {
  auxiliaryControllerN: number;
  startDateTimeMs: number;
  endDateTimeMs: number;
  commandedStateLevel: number;
  inputFromControlledLoad: boolean;
}

export interface AuxControllerState {
  commanded: ControllerLevel | null;
  apcLimit: ControllerLevel | null;
}

export interface AuxLoadState {
  switches: AuxSwitchState[];
  /** 7.12, seconds. */
  randomisedOffsetLimitS: number;
  alcSchedules: AlcsConnectionSchedule[];
  alcSpecialDays: SpecialDay[];
  controllers: AuxControllerState[];
  controllerSchedules: AuxiliaryControllerScheduleEntry[];
  controllerSpecialDays: SpecialDay[];
}

/** How many load switches the device has: an ESME five, an HCALCS its own one. */
export function switchCount(profile: MeterProfile): number {
  return profile.deviceType === 'HCALCS' ? 1 : AUX_LOAD_LIMITS.switches;
}

/**
 * How many auxiliary controllers it has: five on an ESME and on an HCALCS alike (DCC's ECS46d samples schedule
 * controllers 1 to 5 on the premises' HAN-connected auxiliary proportional controller).
 */
export function controllerCount(): number {
  return AUX_LOAD_LIMITS.controllers;
}

function defaults(profile: MeterProfile): AuxLoadState {
  return {
    switches: Array.from({ length: switchCount(profile) }, () => ({
      description: '',
      hcalcsDeviceId: '',
      onBoostButton: false,
      override: null,
    })),
    randomisedOffsetLimitS: 0,
    alcSchedules: [],
    alcSpecialDays: [],
    controllers: Array.from({ length: controllerCount() }, () => ({ commanded: null, apcLimit: null })),
    controllerSchedules: [],
    controllerSpecialDays: [],
  };
}

/** The device's auxiliary load state to change: created at its defaults on first use. */
export function auxLoadOf(state: { auxLoad: AuxLoadState | null }, profile: MeterProfile): AuxLoadState {
  state.auxLoad ??= defaults(profile);
  return state.auxLoad;
}

/** The state to read: the defaults are not stored until something changes them. */
export function auxLoadView(state: { auxLoad: AuxLoadState | null }, profile: MeterProfile): AuxLoadState {
  return state.auxLoad ?? defaults(profile);
}

/** Body of 7.7 and the ALCS writes (libs/proto AlcsData). */
export interface AlcsReading {
  switches: {
    switchIndex: number;
    hcalcsDeviceId: string;
    description: string;
    active: boolean;
    overrideUntilMs: number;
    onBoostButton: boolean;
  }[];
  randomisedOffsetLimitS: number;
  schedules: AlcsConnectionSchedule[];
  specialDays: SpecialDay[];
  meterTimeMs: number;
}

/**
 * The delay the device adds to each scheduled switching, the same every day (a fixed draw per device and switch
 * within the 7.12 limit), so neighbouring loads do not all switch at once.
 */
export function randomisedOffsetMs(deviceId: string, switchIndex: number, limitS: number): number {
  return limitS === 0 ? 0 : (fnv1a32(`${deviceId}/${switchIndex}`) % (limitS + 1)) * 1000;
}

export function alcsReading(aux: AuxLoadState, deviceId: string, meterNowMs: number): AlcsReading {
  const entries: TimedLevel[] = aux.alcSchedules.map((s) => ({
    target: s.switchIndex,
    level: s.activate ? 1 : 0,
    timing: s.timing,
  }));
  return {
    switches: aux.switches.map((s, i) => {
      const index = i + 1;
      const override = s.override && s.override.untilMs > meterNowMs ? s.override : null;
      const offset = randomisedOffsetMs(deviceId, index, aux.randomisedOffsetLimitS);
      const scheduled = scheduledLevel(entries, aux.alcSpecialDays, index, meterNowMs, offset) ?? 0;
      return {
        switchIndex: index,
        hcalcsDeviceId: s.hcalcsDeviceId,
        description: s.description,
        active: override ? override.active : scheduled > 0,
        overrideUntilMs: override?.untilMs ?? 0,
        onBoostButton: s.onBoostButton,
      };
    }),
    randomisedOffsetLimitS: aux.randomisedOffsetLimitS,
    schedules: aux.alcSchedules,
    specialDays: aux.alcSpecialDays,
    meterTimeMs: meterNowMs,
  };
}

/** Body of 7.15, 7.13 and 7.16 (libs/proto AuxiliaryControllerOperationalData). */
export interface ControllerOperationalReading {
  controllers: {
    auxiliaryControllerN: number;
    currentLevel: number;
    commanded: ControllerLevel | undefined;
    apcLimit: ControllerLevel | undefined;
  }[];
  meterTimeMs: number;
}

const inWindow = (level: ControllerLevel | null, nowMs: number): level is ControllerLevel =>
  level !== null && level.startDateTimeMs <= nowMs && nowMs < level.endDateTimeMs;

export function controllerOperationalReading(
  aux: AuxLoadState,
  meterNowMs: number,
): ControllerOperationalReading {
  const entries: TimedLevel[] = aux.controllerSchedules.map((s) => ({
    target: s.auxiliaryControllerN,
    level: s.commandedStateLevel,
    timing: s.timing,
  }));
  return {
    controllers: aux.controllers.map((c, i) => {
      const n = i + 1;
      const wanted = inWindow(c.commanded, meterNowMs)
        ? c.commanded.commandedStateLevel
        : (scheduledLevel(entries, aux.controllerSpecialDays, n, meterNowMs) ?? 0);
      const cap = inWindow(c.apcLimit, meterNowMs)
        ? c.apcLimit.commandedStateLevel
        : AUX_LOAD_LIMITS.maxLevel;
      return {
        auxiliaryControllerN: n,
        currentLevel: Math.min(wanted, cap),
        commanded: c.commanded ?? undefined,
        apcLimit: c.apcLimit ?? undefined,
      };
    }),
    meterTimeMs: meterNowMs,
  };
}

/** Body of 7.14 and 6.14.3 (libs/proto AuxiliaryControllerConfiguration). */
export interface ControllerConfigurationReading {
  schedules: AuxiliaryControllerScheduleEntry[];
  specialDays: SpecialDay[];
  descriptions: { switchIndex: number; description: string }[];
  meterTimeMs: number;
}

export function controllerConfigurationReading(
  aux: AuxLoadState,
  meterNowMs: number,
): ControllerConfigurationReading {
  return {
    schedules: aux.controllerSchedules,
    specialDays: aux.controllerSpecialDays,
    descriptions: aux.switches
      .map((s, i) => ({ switchIndex: i + 1, description: s.description }))
      .filter((d) => d.description !== ''),
    meterTimeMs: meterNowMs,
  };
}

/** Body of 7.11 (libs/proto BoostButtonDetails). */
export interface BoostButtonReading {
  switchIndexes: number[];
  period: { startMs: number; endMs: number };
  meterTimeMs: number;
}
