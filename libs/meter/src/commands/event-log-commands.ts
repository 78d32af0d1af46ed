import { DccError } from '@dcc/domain';
import { clearLog, keepsLog, logEntries, type DeviceLogName } from '../device-logs.js';
import type { SrvHandler } from './handler.js';
import { done, meterTime, refused } from './outcome.js';
import { Params } from './params.js';
import type { Acknowledged, ClearEventLogParams, DeviceLogReading, ReadDeviceLogParams } from './types.js';

const LOGS: readonly DeviceLogName[] = ['event', 'security', 'power', 'alcs'];

/** 6.13: the entries one of the device's logs recorded in the period (meter time), oldest first. */
export const readEventOrSecurityLog: SrvHandler<ReadDeviceLogParams, DeviceLogReading> = {
  parse(raw) {
    const p = new Params('6.13', raw).only('log', 'startMs', 'endMs');
    const log = p.string('log') as DeviceLogName;
    if (!LOGS.includes(log)) throw p.error(`log must be one of ${LOGS.join(', ')}`);
    const startMs = p.integer('startMs', 0);
    const endMs = p.integer('endMs', 0);
    if (endMs <= startMs) throw p.error('endMs must be after startMs');
    return { log, startMs, endMs };
  },
  execute(ctx, { log, startMs, endMs }) {
    const type = ctx.device.profile.deviceType;
    if (!keepsLog(type, log)) return refused('NO_SUCH_LOG', `a ${type} keeps no ${log} log`);
    return done({ log, entries: logEntries(ctx.state, log, startMs, endMs), meterTimeMs: meterTime(ctx) });
  },
};

/**
 * 3.3: empties the device's event log; an ESME names which of its two event logs (its own or its auxiliary load
 * control switch's), any other device names none. The security and power event logs cannot be cleared.
 */
export const clearEventLog: SrvHandler<ClearEventLogParams, Acknowledged> = {
  parse(raw) {
    const p = new Params('3.3', raw).only('esmeLog');
    if (!p.has('esmeLog')) return {};
    const esmeLog = p.string('esmeLog');
    if (esmeLog !== 'event' && esmeLog !== 'alcs') throw p.error('esmeLog must be event or alcs');
    return { esmeLog };
  },
  validate(ctx, { esmeLog }) {
    const esme = ctx.device.profile.deviceType === 'ESME';
    if (esme && !esmeLog)
      throw DccError.invalidArgument('SRV 3.3: an ESME needs the ESMEEventLogType to clear');
    if (!esme && esmeLog) {
      throw DccError.invalidArgument(
        `SRV 3.3: ESMEEventLogType is an ESME's; a ${ctx.device.profile.deviceType} has one event log`,
      );
    }
  },
  execute(ctx, { esmeLog }) {
    clearLog(ctx.state, esmeLog ?? 'event');
    return done({ meterTimeMs: meterTime(ctx) });
  },
};
