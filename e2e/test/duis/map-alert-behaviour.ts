import { ALERT_CHANNELS, type AlertChannel } from '@dcc/domain';
import { ConfigureAlertBehaviour } from '@dcc/proto';
import type { BodyReader } from './body-reader.js';
import type { RequestBody } from './map-common.js';

type Channel = AlertChannel;

/** The ESME settings categories (supplier and network operator alike) by name ending, and their channel. */
const CATEGORY_CHANNELS: [RegExp, Channel][] = [
  [/HANAlertSettings$/, 'hanAlert'],
  [/AlarmSettings$/, 'alarm'],
  [/LoggingSettings$/, 'eventLog'],
  [/Alerts$/, 'wanAlert'],
];

/** The GSME's per-code settings, by element name. */
const GAS_CHANNELS: Record<string, Channel> = {
  WANAlert: 'wanAlert',
  HANAlert: 'hanAlert',
  Alarm: 'alarm',
  EventLog: 'eventLog',
};

/**
 * 6.22: every channel's settings. An ESME body holds settings categories (WAN alerts, HAN alert settings, alarm
 * settings, logging settings), each grouped by device kind with one element per code ("x810D" → "810D"); a GSME
 * body holds one element per code with its WANAlert, HANAlert, EventLog and Alarm settings.
 */
export function alertBehaviour(body: BodyReader): RequestBody {
  const value = ConfigureAlertBehaviour.fromPartial({});
  const put = (channel: Channel, code: string, setting: string) =>
    value[ALERT_CHANNELS[channel][setting === 'Enable' ? 0 : 1]].push(code.replace(/^x/, ''));
  for (const category of body.names()) {
    const settings = body.child(category);
    if (category === 'GasSupplierAlertEventSettings') {
      for (const code of settings.names()) {
        const perChannel = settings.child(code);
        for (const name of perChannel.names()) {
          const channel = GAS_CHANNELS[name];
          if (channel) put(channel, code, perChannel.text(name));
        }
      }
      continue;
    }
    const channel = CATEGORY_CHANNELS.find(([pattern]) => pattern.test(category))?.[1];
    if (!channel) continue; // left unread: the sample counts as dropping it
    for (const group of settings.names()) {
      const codes = settings.child(group);
      for (const code of codes.names()) put(channel, code, codes.text(code));
    }
  }
  return { $case: 'configureAlertBehaviour', value };
}
