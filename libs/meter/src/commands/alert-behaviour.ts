import { BODY_LIMITS } from '@dcc/domain';
import { isConfigurableAlert } from '../alerts.js';
import type { AlertChannelSettings, MeterState } from '../meter-state.js';
import type { SrvHandler } from './handler.js';
import { done, type ExecContext } from './outcome.js';
import { Params } from './params.js';
import type { AlertConfiguration, ConfigureAlertsParams } from './types.js';

// The limit the hub checks before storing (libs/domain BODY_LIMITS); the device enforces the same one per channel.
export const MAX_DISABLED_ALERTS = BODY_LIMITS.alertCodesPerList;

/**
 * The device's parameter keys per channel besides the WAN alerts ("enable"/"disable"): HAN alerts, alarms and the
 * event log, as DUIS 6.22 switches them per code.
 */
const CHANNEL_KEYS = {
  hanAlert: ['hanAlertEnable', 'hanAlertDisable'],
  alarm: ['alarmEnable', 'alarmDisable'],
  eventLog: ['eventLogEnable', 'eventLogDisable'],
} as const satisfies Record<keyof AlertChannelSettings, readonly [string, string]>;
const CHANNELS = Object.keys(CHANNEL_KEYS) as (keyof AlertChannelSettings)[];
const ALL_KEYS = ['enable', 'disable', ...Object.values(CHANNEL_KEYS).flat()];

function alertCodes(p: Params, key: string): number[] {
  if (!p.has(key)) return [];
  const codes = p.numbers(key, 0, 0xffff, { min: 0, max: MAX_DISABLED_ALERTS });
  if (!codes.every(Number.isInteger)) throw p.error(`${key} must hold alert codes`);
  return codes;
}

/** A device never stops reporting, sounding or recording a critical (0x8Fxx) alert, on any channel. */
function refuseCritical(p: Params, disable: number[]): void {
  const critical = disable.filter((code) => !isConfigurableAlert(code));
  if (critical.length > 0) {
    throw p.error(
      `critical alerts cannot be disabled: ${critical.map((c) => `0x${c.toString(16)}`).join(', ')}`,
    );
  }
}

/** Disable, then enable: the sorted codes left switched off. */
function nextDisabled(current: readonly number[], enable: number[] = [], disable: number[] = []): number[] {
  const disabled = new Set([...current, ...disable]);
  for (const code of enable) disabled.delete(code);
  return [...disabled].sort((a, b) => a - b);
}

function channelsAfter(state: MeterState, params: ConfigureAlertsParams): AlertChannelSettings {
  const next = { ...state.disabledOnChannels };
  for (const channel of CHANNELS) {
    const [enable, disable] = CHANNEL_KEYS[channel];
    next[channel] = nextDisabled(next[channel], params[enable], params[disable]);
  }
  return next;
}

/** What 6.22 answers and 6.2.10 reads: the codes switched off on each channel. */
export function alertConfiguration(state: MeterState): AlertConfiguration {
  const { hanAlert, alarm, eventLog } = state.disabledOnChannels;
  return {
    disabledAlerts: [...state.disabledAlerts],
    disabledHanAlerts: [...hanAlert],
    disabledAlarms: [...alarm],
    disabledEventLogs: [...eventLog],
  };
}

/**
 * 6.22: which alerts the device sends over the WAN, raises on the HAN, sounds as alarms and records in its event
 * log. Critical alerts (0x8Fxx) cannot be disabled on any channel; at most MAX_DISABLED_ALERTS codes may be
 * disabled per channel. Applied per channel: disable, then enable.
 */
export const configureAlertBehaviour: SrvHandler<ConfigureAlertsParams, AlertConfiguration> = {
  parse(raw) {
    const p = new Params('6.22', raw).only(...ALL_KEYS).atLeastOne(...ALL_KEYS);
    const params: ConfigureAlertsParams = {};
    for (const [enable, disable] of [['enable', 'disable'] as const, ...Object.values(CHANNEL_KEYS)]) {
      const on = alertCodes(p, enable);
      const off = alertCodes(p, disable);
      refuseCritical(p, off);
      if (on.length > 0) params[enable] = on;
      if (off.length > 0) params[disable] = off;
    }
    return params;
  },
  validate(ctx, params) {
    const channels = channelsAfter(ctx.state, params);
    const wan = nextDisabled(ctx.state.disabledAlerts, params.enable, params.disable);
    if ([wan, ...Object.values(channels)].some((codes) => codes.length > MAX_DISABLED_ALERTS)) {
      throw new Params('6.22', {}).error(
        `at most ${MAX_DISABLED_ALERTS} alert codes can be disabled per channel`,
      );
    }
  },
  execute(ctx: ExecContext, params) {
    ctx.state.disabledAlerts = nextDisabled(ctx.state.disabledAlerts, params.enable, params.disable);
    ctx.state.disabledOnChannels = channelsAfter(ctx.state, params);
    return done(alertConfiguration(ctx.state));
  },
};
