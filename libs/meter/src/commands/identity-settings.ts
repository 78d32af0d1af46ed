import { BODY_LIMITS } from '@dcc/domain';
import type { DeviceMpxns } from '../meter-state.js';
import type { SrvHandler } from './handler.js';
import { done, meterTime, type ExecContext } from './outcome.js';
import { Params } from './params.js';
import type {
  Acknowledged,
  ExportMpanParams,
  ImportMpxnParams,
  MpxnReading,
  SupplierNameParams,
} from './types.js';

const MPAN = /^\d{13}$/;
const MPRN = /^\d{6,10}$/;
const CONTACT = new RegExp(`^[\\x20-\\x7E]{1,${BODY_LIMITS.supplierContactChars}}$`);
const NONE: DeviceMpxns = { importMpan: '', secondaryImportMpan: '', importMprn: '', exportMpan: '' };

function mpxnReading(ctx: ExecContext): MpxnReading {
  return { ...(ctx.state.mpxns ?? NONE), meterTimeMs: meterTime(ctx) };
}

/** 6.2.7 Read Device Configuration (MPxN): what 6.20.1 and 6.20.2 set. */
export const readMpxns: SrvHandler<undefined, MpxnReading> = {
  parse: (raw) => Params.none('6.2.7', raw),
  execute: (ctx) => done(mpxnReading(ctx)),
};

/**
 * 6.20.1 Set Device Configuration (Import MPxN): an electricity meter takes its import MPAN (a twin-element one
 * its secondary MPAN too), a gas meter its MPRN; neither takes the other fuel's.
 */
export const setImportMpxn: SrvHandler<ImportMpxnParams, MpxnReading> = {
  parse(raw) {
    const p = new Params('6.20.1', raw).only('importMpan', 'secondaryImportMpan', 'importMprn');
    if (p.has('importMpan') === p.has('importMprn')) throw p.error('give either importMpan or importMprn');
    if (p.has('importMprn')) {
      if (p.has('secondaryImportMpan')) throw p.error('secondaryImportMpan goes with an importMpan');
      return { importMprn: p.string('importMprn', MPRN) };
    }
    return {
      importMpan: p.string('importMpan', MPAN),
      ...(p.has('secondaryImportMpan') ? { secondaryImportMpan: p.string('secondaryImportMpan', MPAN) } : {}),
    };
  },
  validate(ctx, params) {
    const gas = ctx.device.profile.deviceType === 'GSME';
    if (gas !== 'importMprn' in params) {
      throw new Params('6.20.1', {}).error(gas ? 'a GSME takes an MPRN' : 'an electricity meter takes MPANs');
    }
  },
  execute(ctx, params) {
    ctx.state.mpxns = {
      ...(ctx.state.mpxns ?? NONE),
      ...('importMprn' in params
        ? { importMprn: params.importMprn }
        : { importMpan: params.importMpan, secondaryImportMpan: params.secondaryImportMpan ?? '' }),
    };
    return done(mpxnReading(ctx));
  },
};

/** 6.20.2 Set Device Configuration (Export MPAN). */
export const setExportMpan: SrvHandler<ExportMpanParams, MpxnReading> = {
  parse: (raw) => ({ exportMpan: new Params('6.20.2', raw).only('exportMpan').string('exportMpan', MPAN) }),
  execute(ctx, { exportMpan }) {
    ctx.state.mpxns = { ...(ctx.state.mpxns ?? NONE), exportMpan };
    return done(mpxnReading(ctx));
  },
};

/** 3.4 Update Supplier Name: the name and telephone number the device shows the consumer. */
export const updateSupplierName: SrvHandler<SupplierNameParams, Acknowledged> = {
  parse(raw) {
    const p = new Params('3.4', raw).only('name', 'telephone');
    return { name: p.string('name', CONTACT), telephone: p.string('telephone', CONTACT) };
  },
  execute(ctx, contact) {
    ctx.state.supplierContact = { ...contact };
    return done({ meterTimeMs: meterTime(ctx) });
  },
};

/** 3.5 Disable Privacy PIN: the device shows the consumer's data without asking for their PIN from now on. */
export const disablePrivacyPin: SrvHandler<undefined, Acknowledged> = {
  parse: (raw) => Params.none('3.5', raw),
  execute(ctx) {
    ctx.state.privacyPinDisabled = true;
    return done({ meterTimeMs: meterTime(ctx) });
  },
};
