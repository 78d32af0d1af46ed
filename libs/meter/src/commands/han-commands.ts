import { HAN_CAPACITY, putEntry, removeEntry } from '../han.js';
import type { HanEntry } from '../meter-state.js';
import type { SrvHandler } from './handler.js';
import { done, meterTime, refused, type ExecContext } from './outcome.js';
import { Params } from './params.js';
import type {
  HanDeviceLogReading,
  HanJoinParams,
  HanJoinReading,
  ReadHanDeviceLogParams,
  UpdateHanDeviceLogParams,
} from './types.js';

const EUI64 = /^[0-9A-F]{2}(-[0-9A-F]{2}){7}$/;
const INSTALL_CODE = /^[0-9A-Fa-f]{32}$/;
const MPXN = /^\d{6,13}$/;
const MPAN = /^\d{13}$/;
/**
 * The devices that keep a device log (the HAN whitelist) rather than joins of their own. Which device types take
 * which SRV is the catalogue's (8.7 and 8.8: the joining devices; 8.11: the CHF), checked by the device model.
 */
const LOG_KEEPERS: readonly string[] = ['CHF', 'GPF'];

function otherDevice(srv: string, raw: unknown): HanJoinParams {
  const p = new Params(srv, raw).only('otherDeviceId');
  return { otherDeviceId: p.string('otherDeviceId', EUI64) };
}

/** A device cannot join itself; access control cannot see this (its rules see the body, not the target). */
function notItself(srv: string) {
  return (ctx: ExecContext, params: HanJoinParams) => {
    if (params.otherDeviceId === ctx.device.deviceId) {
      throw new Params(srv, {}).error('otherDeviceId is the target device itself');
    }
  };
}

function joinReading(ctx: ExecContext, params: HanJoinParams, changed: boolean): HanJoinReading {
  return {
    otherDeviceId: params.otherDeviceId,
    changed,
    joinedDeviceIds: ctx.state.han.joins.map((entry) => entry.deviceId),
    meterTimeMs: meterTime(ctx),
  };
}

/**
 * 8.7.1 Join Service (Critical) and 8.7.2 (Non-Critical): the device joins the other device (GBCS CS03A1,
 * CS03A2, CS03B, CS03C). Joining a device already joined changes nothing and succeeds (the join stands); a new
 * join beyond the device's capacity is refused.
 */
function join(srv: '8.7.1' | '8.7.2'): SrvHandler<HanJoinParams, HanJoinReading> {
  return {
    parse: (raw) => otherDevice(srv, raw),
    validate: notItself(srv),
    execute(ctx, params) {
      const entry: HanEntry = { deviceId: params.otherDeviceId, addedMs: meterTime(ctx), installCode: false };
      const changed = putEntry(ctx.state.han.joins, entry, HAN_CAPACITY.joins);
      if (changed === 'full') {
        return refused('DEVICE_LOG_FULL', `the device is joined with ${HAN_CAPACITY.joins} devices already`);
      }
      return done(joinReading(ctx, params, changed));
    },
  };
}

/**
 * 8.8.1 Unjoin Service (Critical) and 8.8.2 (Non-Critical): the device drops its join with the other device
 * (GBCS CS04AC, CS04B). A device not joined stays not joined: the command succeeds with `changed` false, as
 * the state asked for holds.
 */
function unjoin(srv: '8.8.1' | '8.8.2'): SrvHandler<HanJoinParams, HanJoinReading> {
  return {
    parse: (raw) => otherDevice(srv, raw),
    validate: notItself(srv),
    execute: (ctx, params) =>
      done(joinReading(ctx, params, removeEntry(ctx.state.han.joins, params.otherDeviceId))),
  };
}

export const joinServiceCritical = join('8.7.1');
export const joinServiceNonCritical = join('8.7.2');
export const unjoinServiceCritical = unjoin('8.8.1');
export const unjoinServiceNonCritical = unjoin('8.8.2');

function logReading(
  ctx: ExecContext,
  entries: readonly HanEntry[],
  securityDetails: boolean,
  changed: boolean,
): HanDeviceLogReading {
  return {
    entries: entries.map((entry) => ({
      deviceId: entry.deviceId,
      addedMs: entry.addedMs,
      ...(securityDetails ? { installCodeUsed: entry.installCode } : {}),
    })),
    changed,
    meterTimeMs: meterTime(ctx),
  };
}

/**
 * 8.9 Read Device Log: a CHF's or GPF's device log (GBCS CCS05 to CCS07), or for any other device the devices
 * it is joined with (CS07 Read Device Join Details).
 */
export const readDeviceLog: SrvHandler<ReadHanDeviceLogParams, HanDeviceLogReading> = {
  parse(raw) {
    if (raw === undefined || raw === null) return { securityDetails: false };
    const p = new Params('8.9', raw).only('securityDetails');
    return { securityDetails: p.has('securityDetails') && p.raw('securityDetails') === true };
  },
  execute(ctx, params) {
    const keepsLog = LOG_KEEPERS.includes(ctx.device.profile.deviceType);
    const entries = keepsLog ? ctx.state.han.log : ctx.state.han.joins;
    return done(logReading(ctx, entries, params.securityDetails, false));
  },
  // A hub being installed is read before it is commissioned, to see what may join it.
  beforeCommissioning: true,
};

function parseUpdate(raw: unknown): UpdateHanDeviceLogParams {
  const p = new Params('8.11', raw).only('deviceId', 'add', 'remove');
  const deviceId = p.string('deviceId', EUI64);
  if (p.has('remove')) {
    if (p.has('add') || p.raw('remove') !== true) throw p.error('give either add or remove: true');
    return { deviceId, remove: true };
  }
  const add = new Params('8.11', p.raw('add')).only(
    'joinTimePeriod',
    'installCode',
    'importMpxn',
    'secondaryImportMpan',
  );
  return {
    deviceId,
    add: {
      joinTimePeriod: add.integer('joinTimePeriod', 1, 3_600),
      installCode: add.string('installCode', INSTALL_CODE),
      ...(add.has('importMpxn') ? { importMpxn: add.string('importMpxn', MPXN) } : {}),
      ...(add.has('secondaryImportMpan')
        ? { secondaryImportMpan: add.string('secondaryImportMpan', MPAN) }
        : {}),
    },
  };
}

/**
 * 8.11 Update HAN Device Log, on the CHF: Add puts a device on its HAN whitelist with the install code it will
 * join with (GBCS CCS01), Remove takes it off (CCS02). Adding a listed device updates its entry; removing one
 * not listed changes nothing and succeeds.
 */
export const updateHanDeviceLog: SrvHandler<UpdateHanDeviceLogParams, HanDeviceLogReading> = {
  parse: parseUpdate,
  validate(ctx, params) {
    if (params.deviceId === ctx.device.deviceId) {
      throw new Params('8.11', {}).error('deviceId is the CHF itself');
    }
  },
  execute(ctx, params) {
    const log = ctx.state.han.log;
    if ('remove' in params) {
      return done(logReading(ctx, log, true, removeEntry(log, params.deviceId)));
    }
    const entry: HanEntry = { deviceId: params.deviceId, addedMs: meterTime(ctx), installCode: true };
    const changed = putEntry(log, entry, HAN_CAPACITY.deviceLog);
    if (changed === 'full') {
      return refused('DEVICE_LOG_FULL', `the device log holds ${HAN_CAPACITY.deviceLog} devices already`);
    }
    return done(logReading(ctx, log, true, changed));
  },
  beforeCommissioning: true,
};
