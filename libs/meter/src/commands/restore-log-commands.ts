import { HAN_CAPACITY, putEntry } from '../han.js';
import type { SrvHandler } from './handler.js';
import { done, meterTime, refused, type ExecContext } from './outcome.js';
import { Params } from './params.js';
import type {
  HanDeviceLogRestoredReading,
  RestoreGpfDeviceLogParams,
  RestoreHanDeviceLogParams,
  SavedDeviceLogEntry,
} from './types.js';

const EUI64 = /^[0-9A-F]{2}(-[0-9A-F]{2}){7}$/;

type RestoreSrv = '8.12.1' | '8.12.2';
type OldDeviceField = 'oldChfId' | 'oldGpfId';

/** The old device and its saved log, whichever field names it (DUIS OldCHFID, OldGPFID). */
interface RestoreDeviceLogParams {
  oldDeviceId: string;
  savedEntries: SavedDeviceLogEntry[];
}

function parse(srv: RestoreSrv, field: OldDeviceField, raw: unknown): RestoreDeviceLogParams {
  const p = new Params(srv, raw).only(field, 'savedEntries');
  const saved = p.raw('savedEntries');
  if (!Array.isArray(saved) || saved.length === 0) {
    throw p.error('savedEntries must list the old device log (the hub fills them from its inventory)');
  }
  return {
    oldDeviceId: p.string(field, EUI64),
    savedEntries: saved.map((entry: unknown, i) => {
      const e = new Params(srv, entry).only('deviceId', 'deviceType');
      if (!e.has('deviceId')) throw p.error(`savedEntries[${i}] has no deviceId`);
      return { deviceId: e.string('deviceId', EUI64), deviceType: e.string('deviceType', /^[A-Z]+$/, 16) };
    }),
  };
}

/** A device restores another's log, never its own, and the log it receives names neither end of the restore. */
function validate(srv: RestoreSrv) {
  return (ctx: ExecContext, params: RestoreDeviceLogParams) => {
    const self = ctx.device.deviceId;
    if (params.oldDeviceId === self) throw new Params(srv, {}).error('the old device is the target itself');
    const loop = params.savedEntries.find((e) => e.deviceId === self || e.deviceId === params.oldDeviceId);
    if (loop) throw new Params(srv, {}).error(`savedEntries names ${loop.deviceId}, an end of the restore`);
  };
}

/**
 * 8.12.1 Restore HAN Device Log (GBCS CCS03, on the new CHF) and 8.12.2 Restore GPF Device Log (GCS59, on the new
 * GPF): the device puts the old device's saved log on its own device log, so the devices that had joined the HAN
 * through the old one may join through it. All or nothing: when the entries it does not list yet would not fit
 * its log, it refuses (DEVICE_LOG_FULL) and changes nothing. Restored entries carry no install code (the saved
 * log holds joined devices, not their install codes); an entry already listed keeps its place and time.
 */
function restore<P>(srv: RestoreSrv, field: OldDeviceField): SrvHandler<P, HanDeviceLogRestoredReading> {
  const handler: SrvHandler<RestoreDeviceLogParams, HanDeviceLogRestoredReading> = {
    parse: (raw) => parse(srv, field, raw),
    validate: validate(srv),
    execute(ctx, params) {
      const log = ctx.state.han.log;
      const fresh = params.savedEntries.filter((e) => !log.some((listed) => listed.deviceId === e.deviceId));
      if (log.length + fresh.length > HAN_CAPACITY.deviceLog) {
        return refused(
          'DEVICE_LOG_FULL',
          `the device log holds ${log.length} devices: ${fresh.length} more exceed its ${HAN_CAPACITY.deviceLog}`,
        );
      }
      const at = meterTime(ctx);
      for (const entry of fresh)
        putEntry(log, { deviceId: entry.deviceId, addedMs: at, installCode: false }, Infinity);
      return done({
        oldDeviceId: params.oldDeviceId,
        entries: log.map((e) => ({ deviceId: e.deviceId, addedMs: e.addedMs })),
        restoredCount: fresh.length,
        meterTimeMs: at,
      });
    },
  };
  // The registry types a handler by its SRV's wire parameters; inside, either field reads as oldDeviceId.
  return handler as unknown as SrvHandler<P, HanDeviceLogRestoredReading>;
}

export const restoreHanDeviceLog = restore<RestoreHanDeviceLogParams>('8.12.1', 'oldChfId');
export const restoreGpfDeviceLog = restore<RestoreGpfDeviceLogParams>('8.12.2', 'oldGpfId');
