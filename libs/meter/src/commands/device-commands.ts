import { BODY_LIMITS, normaliseKaPublicKey, parseEui64 } from '@dcc/domain';
import { AlertCode } from '../alerts.js';
import { checkCosSignature, installSupplierCredentials } from '../credentials.js';
import { activateImage, firmwareVersion, holdsImage } from '../firmware.js';
import type { SrvHandler } from './handler.js';
import { done, meterTime, refused, type ExecContext } from './outcome.js';
import { Params } from './params.js';
import type {
  Acknowledged,
  ActivateFirmwareParams,
  ClockSet,
  DisplayMessageParams,
  FirmwareVersionReading,
  SetClockParams,
  SupplierCredentials,
  UpdateSupplierCredentialsParams,
} from './types.js';

// The limit the hub checks before storing (libs/domain BODY_LIMITS); the device enforces the same one.
export const MAX_MESSAGE_LENGTH = BODY_LIMITS.displayMessageChars;
const MAX_COUNTER = (1n << 64n) - 1n;

/** 3.1: the device shows the message (on its display and the IHD); the model keeps the last one. */
export const displayMessage: SrvHandler<DisplayMessageParams, Acknowledged> = {
  parse(raw) {
    const p = new Params('3.1', raw).only('message');
    return { message: p.string('message', /^[\x20-\x7E]+$/, MAX_MESSAGE_LENGTH) };
  },
  execute(ctx, { message }) {
    ctx.state.displayMessage = message;
    return done({ meterTimeMs: meterTime(ctx) });
  },
};

function clockSet(ctx: ExecContext): ClockSet {
  return {
    meterTimeMs: meterTime(ctx),
    clockOffsetMs: ctx.state.clockOffsetMs,
    commissioned: ctx.state.commissioned,
  };
}

function setClockParams(srv: string, raw: unknown): SetClockParams {
  const p = new Params(srv, raw).only('timeMs', 'toleranceS');
  return { timeMs: p.integer('timeMs', 0), toleranceS: p.integer('toleranceS', 1, 0xffff_ffff) };
}

/**
 * The clock adjustment's validity window (GBCS: the command is valid from CurrentDateTime − TolerancePeriod to
 * CurrentDateTime + TolerancePeriod by the device's own clock): inside it the device takes the new time, outside
 * it refuses and keeps its clock, so a stale or replayed time cannot move it far.
 */
function setClock(srv: string, ctx: ExecContext, { timeMs, toleranceS }: SetClockParams) {
  const driftMs = meterTime(ctx) - timeMs;
  if (Math.abs(driftMs) > toleranceS * 1000) {
    return refused(
      'CLOCK_OUTSIDE_TOLERANCE',
      `SRV ${srv}: the device clock (${new Date(meterTime(ctx)).toISOString()}) is ${Math.round(driftMs / 1000)} s ` +
        `from CurrentDateTime ${new Date(timeMs).toISOString()}, outside the TolerancePeriod of ${toleranceS} s: ` +
        'clock not set',
    );
  }
  ctx.state.clockOffsetMs = timeMs - ctx.at;
  return undefined;
}

/**
 * 6.11: sets the meter clock to the given date-time (the offset to the hub clock is what the model keeps), within
 * the TolerancePeriod. Pending future-dated commands then fall due by the new clock.
 */
export const synchroniseClock: SrvHandler<SetClockParams, ClockSet> = {
  parse: (raw) => setClockParams('6.11', raw),
  execute(ctx, params) {
    return setClock('6.11', ctx, params) ?? done(clockSet(ctx));
  },
};

/**
 * 8.1.1 Commission Device (GBCS ECS70/GCS28: set the clock): sets the clock, within the TolerancePeriod, and marks
 * the device commissioned; outside it the device stays as it was.
 */
export const commissionDevice: SrvHandler<SetClockParams, ClockSet> = {
  parse: (raw) => setClockParams('8.1.1', raw),
  execute(ctx, params) {
    const refusal = setClock('8.1.1', ctx, params);
    if (refusal) return refusal;
    ctx.state.commissioned = true;
    return done(clockSet(ctx));
  },
  beforeCommissioning: true,
};

/**
 * 6.23 Update Security Credentials (CoS): the device replaces the supplier credentials it trusts and takes the
 * new top-up counter floor (credentials.ts), only on the CoS party's signature (checked at receipt, so a
 * future-dated swap is refused before it is held). Non-critical at DUIS level (the DCC's CoS party signs the
 * GBCS command), Device future-datable.
 */
export const updateSupplierCredentials: SrvHandler<UpdateSupplierCredentialsParams, SupplierCredentials> = {
  parse(raw) {
    const p = new Params('6.23', raw).only(
      'supplierId',
      'signingKeyId',
      'topUpFloor',
      'topUpKey',
      'supplierFloor',
      'validity',
      'cosSignature',
    );
    const supplierId = parseEui64(p.string('supplierId', undefined, 64), 'SRV 6.23 supplierId');
    const signingKeyId = p.string('signingKeyId', /^[\x21-\x7E]+$/, 64);
    const cosSignature = p.has('cosSignature') ? p.string('cosSignature', /^[A-Za-z0-9+/=]*$/, 256) : '';
    const validity = p.has('validity') ? p.string('validity', /^[0-9]{1,16}-[0-9]{1,16}$/, 40) : '';
    // The top-up key is the gaining supplier's KeyAgreementTopUpCertificate: a swap without one is malformed.
    const topUpKey = normaliseKaPublicKey(
      p.string('topUpKey', /^[A-Za-z0-9+/=]+$/, 512),
      'SRV 6.23 topUpKey',
    );
    return {
      supplierId,
      signingKeyId,
      topUpFloor: counterText(p, 'topUpFloor'),
      topUpKey,
      supplierFloor: counterText(p, 'supplierFloor'),
      ...(validity ? { validity } : {}),
      ...(cosSignature ? { cosSignature } : {}),
    };
  },
  authorise(ctx, params, requestId) {
    const { supplierId, signingKeyId, topUpFloor, topUpKey, supplierFloor, validity, cosSignature } = params;
    const swap = {
      deviceId: ctx.device.deviceId,
      requestId,
      supplierId,
      keyId: signingKeyId,
      topUpFloor,
      topUpKey,
      supplierFloor,
      validity: validity ?? '',
    };
    checkCosSignature(ctx.device, swap, cosSignature);
  },
  execute(ctx, { supplierId, signingKeyId, topUpFloor, topUpKey, supplierFloor, validity }) {
    if (validity && !withinValidity(validity, meterTime(ctx))) {
      return refused(
        'CERTIFICATE_NOT_VALID_NOW',
        `SRV 6.23: the device's clock is outside the replacement certificates' validity (${validity})`,
      );
    }
    const supplier = { supplierId, keyId: signingKeyId, topUpKey };
    const floors = installSupplierCredentials(ctx.state, ctx.device, supplier, { topUpFloor, supplierFloor });
    return done({ supplierId, signingKeyId, ...floors });
  },
};

function counterText(p: Params, name: string): string {
  const value = p.raw(name);
  const text = typeof value === 'bigint' || typeof value === 'number' ? value.toString() : value;
  if (typeof text !== 'string' || !/^[0-9]{1,20}$/.test(text) || BigInt(text) > MAX_COUNTER) {
    throw p.error(`${name} must be an unsigned 64-bit counter`);
  }
  return BigInt(text).toString();
}

/** "from-to" (UTC ms): whether the instant lies in it. */
function withinValidity(validity: string, atMs: number): boolean {
  const [from, to] = /^([0-9]+)-([0-9]+)$/.exec(validity)!.slice(1).map(Number) as [number, number];
  return atMs >= from && atMs <= to;
}

function firmwareReading(ctx: ExecContext): FirmwareVersionReading {
  return {
    version: firmwareVersion(ctx.state, ctx.device),
    pendingImageVersion: ctx.state.stagedImage?.version ?? null,
  };
}

export const readFirmwareVersion: SrvHandler<undefined, FirmwareVersionReading> = {
  parse: (raw) => Params.none('11.2', raw),
  execute: (ctx) => done(firmwareReading(ctx)),
  beforeCommissioning: true,
};

/** 11.3: activates a transferred image by its hash (firmware.ts). Device future-datable. */
export const activateFirmware: SrvHandler<ActivateFirmwareParams, FirmwareVersionReading> = {
  parse(raw) {
    const p = new Params('11.3', raw).only('imageHash');
    return { imageHash: p.string('imageHash', /^[0-9a-fA-F]{64}$/, 64).toLowerCase() };
  },
  admit(ctx, { imageHash }) {
    return holdsImage(ctx.state, imageHash) ? undefined : unknownImage(ctx);
  },
  execute(ctx, { imageHash }) {
    const activated = activateImage(ctx.state, ctx.device, imageHash, meterTime(ctx));
    return activated ? done(firmwareReading(ctx), activated.alerts) : unknownImage(ctx);
  },
};

function unknownImage(ctx: ExecContext) {
  return refused('UNKNOWN_FIRMWARE_IMAGE', 'the device holds no transferred image with this hash', [
    { code: AlertCode.FIRMWARE_VERIFICATION_FAILED, atMs: meterTime(ctx) },
  ]);
}
