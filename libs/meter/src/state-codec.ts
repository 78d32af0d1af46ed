import { DccError } from '@dcc/domain';
import type { AuxLoadState } from './aux-load.js';
import { decodeGas, encodeGas, type StoredGasState } from './gas-codec.js';
import {
  initialState,
  type AlertChannelSettings,
  type DeviceMpxns,
  type JsonValue,
  type LoadLimitSupplyAction,
  type SupplyTamperAction,
  type MeterState,
  type PendingCommand,
  type SupplierContact,
} from './meter-state.js';
import type { TariffBook } from './tariff-book.js';
import {
  decodeDeviceRecords,
  encodeDeviceRecords,
  type StoredDeviceRecords,
} from './device-records-codec.js';
import type { SubGhzChannel, SubGhzConfig } from './sub-ghz.js';

/**
 * The persisted form of MeterState: JSON-safe, short keys, and every field at its default left out, so a meter
 * that only answered reads stores {"v":1}. Counters (64-bit) travel as decimal strings, EUI-64s as 16 hex digits.
 *
 * | key | field(s)                                    | key | field(s)                                   |
 * |-----|---------------------------------------------|-----|--------------------------------------------|
 * | c   | commissioned (when not the profile's)       | pp  | balance, settledMs, EC active, latches     |
 * | o   | clockOffsetMs                               | pc  | prepay configuration                       |
 * | po  | outageSinceMs                               | db  | debt registers and rates                   |
 * | s   | supply: d disabled, c disabled for credit, a armed | tn | tenancy restriction               |
 * | m   | "p": prepayment mode                        | dm  | display message                            |
 * | rc  | request counters "originator:counter"       | vc  | voltage configuration (vp: per phase, flattened) |
 * | tr  | supplier: id, key id, top-up, signing key   | vn  | voltage event counters                     |
 * | th  | top-up high-water mark                      | da  | disabled alert codes                       |
 * | tf  | tariff: table, prices, standing charge      | ll  | load limit: threshold, counter, since      |
 * | tb  | TOU base: time, registers...                | fw  | firmware version                           |
 * | oi  | off intervals, flattened (null = open)      | fi  | transferred image: hash, version           |
 * | dr  | dropped off import Wh, export Wh, horizon   | pd  | pending: [srv, at, requestId, params]      |
 * | ob  | outbox alerts, flattened [code, atMs, ...]  | pl  | prepayment logs: daily, credits, debt paid |
 * |     |                                             | nd  | 2.1 non-disablement calendar: fuel, as sent |
 * |     |                                             | tk  | tariffs in DUIS form, block counters (TariffBook) |
 * |     |                                             | gs  | gas: 6.6 checkpoints, 6.7 flow (gas-codec)  |
 * Event logs, maximum demand and power thresholds: device-records-codec.ts (lg, md, pt).
 * | hj  | HAN joins: [device id, added at]            | hl  | device log: [device id, added at, install code 0/1] |
 * | cn  | 9.1 customer identification number        | ab  | 8.5 ACB trusted instead of the DCC's: floor, certificate SHA-256 |
 * | sg  | Sub-GHz: config or null, channel [upper 0/1, n] or null, log flattened [at, upper, n, ...] |
 */
export interface StoredMeterState extends StoredDeviceRecords {
  v: 1;
  c?: 0 | 1;
  o?: number;
  po?: number;
  s?: 'd' | 'c' | 'a';
  m?: 'p';
  rc?: string[];
  tr?: [string, string] | [string, string, string | null] | [string, string, string | null, string];
  th?: string;
  tf?: [string, number[], number];
  tb?: number[];
  tk?: JsonValue;
  oi?: (number | null)[];
  dr?: [number, number, number];
  pp?: [number, number, 0 | 1, number];
  /** The last two (1.6's debt suspensions, 0/1) are left out when both are off. */
  pc?: [number | null, number, number, number, number, number, number, (0 | 1)?, (0 | 1)?];
  pl?: [number[][], number[][], number[][]];
  nd?: ['e' | 'g', JsonValue];
  db?: [number, number, number, number, number, number];
  tn?: number;
  dm?: string;
  sc?: SupplierContact;
  pn?: true;
  /** accessControlBroker: [floor, certificate SHA-256] (8.5). */
  ab?: [string, string];
  /** handedOver (6.21), by role. */
  ho?: MeterState['handedOver'];
  mx?: DeviceMpxns;
  vc?: number[];
  vp?: number[];
  vn?: number[];
  da?: number[];
  /** 6.22: the codes switched off on the HAN, alarm and event-log channels. */
  dc?: AlertChannelSettings;
  ll?: [number, number, number];
  /** 6.4.1 settings: period, restoration period, supply action (null = not set). */
  ls?: [number | null, number | null, LoadLimitSupplyAction | null];
  /** 6.25 supply tamper state. */
  st?: SupplyTamperAction;
  /** 6.17 device key generations: current DS, current KA, pending DS, pending KA. */
  dk?: [number, number, number | null, number | null];
  /** 6.15.1 remote party anchors by role. */
  ra?: MeterState['remoteAnchors'];
  /** Auxiliary load switches and controllers, as the model keeps them (plain data). */
  al?: AuxLoadState;
  gs?: StoredGasState;
  hj?: [string, number][];
  hl?: [string, number, 0 | 1][];
  cn?: string;
  sg?: [SubGhzConfig | null, [0 | 1, number] | null, number[]];
  fw?: string;
  fi?: [string, string];
  pd?: [string, number, string | null, JsonValue][];
  ob?: (number | string)[];
}

const compactEui = (id: string) => id.replaceAll('-', '');
const canonicalEui = (hex: string) => hex.match(/../g)!.join('-');

export function encodeState(state: MeterState, defaultCommissioned: boolean): StoredMeterState {
  const out: StoredMeterState = { v: 1 };
  if (state.commissioned !== defaultCommissioned) out.c = state.commissioned ? 1 : 0;
  if (state.clockOffsetMs !== 0) out.o = state.clockOffsetMs;
  if (state.outageSinceMs !== null) out.po = state.outageSinceMs;
  if (state.supply !== 'enabled')
    out.s = state.supply === 'armed' ? 'a' : state.disabledForCredit ? 'c' : 'd';
  if (state.paymentMode === 'prepayment') out.m = 'p';
  if (state.requestCounters.length > 0) {
    out.rc = state.requestCounters.map(([id, counter]) => `${compactEui(id)}:${counter}`);
  }
  if (state.trust) {
    const { supplierId, keyId, topUpKey, signingKey } = state.trust;
    out.tr =
      signingKey !== undefined
        ? [supplierId, keyId, topUpKey, signingKey]
        : topUpKey === null
          ? [supplierId, keyId]
          : [supplierId, keyId, topUpKey];
  }
  if (state.topUpHwm !== 0n) out.th = state.topUpHwm.toString();
  if (state.tariff) out.tf = [state.tariff.table, [...state.tariff.pricesMp], state.tariff.standingMpPerDay];
  if (state.touBaseMs !== 0 || state.touBaseWh.some((wh) => wh !== 0) || state.touBaseWh.length !== 2) {
    out.tb = [state.touBaseMs, ...state.touBaseWh];
  }
  if (state.tariffBook) out.tk = state.tariffBook as unknown as JsonValue;
  if (state.offIntervals.length > 0) out.oi = state.offIntervals.flat();
  if (state.droppedOffImportWh !== 0 || state.droppedOffExportWh !== 0 || state.logHorizonMs !== 0) {
    out.dr = [state.droppedOffImportWh, state.droppedOffExportWh, state.logHorizonMs];
  }
  const prepay = state.prepay;
  if (prepay.balanceMp !== 0 || prepay.settledMs !== 0 || prepay.ecActive || prepay.latches !== 0) {
    out.pp = [prepay.balanceMp, prepay.settledMs, prepay.ecActive ? 1 : 0, prepay.latches];
  }
  if (prepay.config) {
    const c = prepay.config;
    out.pc = [
      c.debtRecoveryCapMpPerDay,
      c.emergencyCreditLimitMp,
      c.emergencyCreditThresholdMp,
      c.lowCreditThresholdMp,
      c.maxMeterBalanceMp,
      c.maxCreditThresholdMp,
      c.disablementThresholdMp,
    ];
    if (c.suspendDebtDisabled || c.suspendDebtEmergency) {
      out.pc.push(c.suspendDebtDisabled ? 1 : 0, c.suspendDebtEmergency ? 1 : 0);
    }
  }
  if (prepay.calendar) {
    out.nd = [prepay.calendar.fuel === 'gas' ? 'g' : 'e', structuredClone(prepay.calendar.calendar)];
  }
  if (prepay.logs) {
    const { daily, credits, debtPayments } = prepay.logs;
    out.pl = [daily.map((e) => [...e]), credits.map((e) => [...e]), debtPayments.map((e) => [...e])];
  }
  if (prepay.debt) {
    const d = prepay.debt;
    out.db = [
      d.time1Mp,
      d.time2Mp,
      d.paymentMp,
      d.time1RateMpPerDay,
      d.time2RateMpPerDay,
      d.paymentRecoveryPercent,
    ];
  }
  if (state.tenancyRestrictionMs !== null) out.tn = state.tenancyRestrictionMs;
  if (state.displayMessage !== null) out.dm = state.displayMessage;
  if (state.customerIdentificationNumber !== null) out.cn = state.customerIdentificationNumber;
  if (state.supplierContact !== null) out.sc = state.supplierContact;
  if (state.privacyPinDisabled) out.pn = true;
  if (state.accessControlBroker) {
    out.ab = [state.accessControlBroker.floorSeq, state.accessControlBroker.certificateSha256];
  }
  if (Object.keys(state.handedOver).length > 0) out.ho = state.handedOver;
  if (state.mpxns !== null) out.mx = state.mpxns;
  if (state.voltage) {
    const v = state.voltage;
    out.vc = [
      v.averageOverV,
      v.averageUnderV,
      v.extremeOverV,
      v.extremeUnderV,
      v.swellV,
      v.sagV,
      v.averagePeriodS,
      v.extremePeriodS,
      v.sagSwellPeriodS,
    ];
  }
  if (state.phaseVoltage) {
    out.vp = state.phaseVoltage.flatMap((p) => [p.phase, p.averageOverV, p.averageUnderV, p.averagePeriodS]);
  }
  if (state.voltageCounters) out.vn = [...state.voltageCounters];
  if (state.disabledAlerts.length > 0) out.da = [...state.disabledAlerts];
  if (Object.values(state.disabledOnChannels).some((codes) => codes.length > 0))
    out.dc = structuredClone(state.disabledOnChannels);
  if (state.loadLimit)
    out.ll = [state.loadLimit.thresholdW, state.loadLimit.counterBase, state.loadLimit.sinceMs];
  if (state.loadLimitSettings) {
    const { periodS, restorationPeriodS, supplyAction } = state.loadLimitSettings;
    out.ls = [periodS, restorationPeriodS, supplyAction];
  }
  if (state.supplyTamperState) out.st = state.supplyTamperState;
  if (state.deviceKeys) out.dk = [...state.deviceKeys.current, ...state.deviceKeys.pending];
  if (Object.keys(state.remoteAnchors).length > 0) out.ra = structuredClone(state.remoteAnchors);
  if (state.auxLoad) out.al = structuredClone(state.auxLoad);
  if (state.gas) out.gs = encodeGas(state.gas);
  if (state.firmwareVersion !== null) out.fw = state.firmwareVersion;
  if (state.stagedImage) out.fi = [state.stagedImage.hash, state.stagedImage.version];
  if (state.pending.length > 0) {
    out.pd = state.pending.map((p) => [p.srv, p.executeAtMs, p.requestId, structuredClone(p.params)]);
  }
  if (state.han.joins.length > 0) out.hj = state.han.joins.map((e) => [e.deviceId, e.addedMs]);
  if (state.han.log.length > 0) {
    out.hl = state.han.log.map((e) => [e.deviceId, e.addedMs, e.installCode ? 1 : 0]);
  }
  const radio = state.subGhz;
  if (radio.config || radio.channel || radio.log.length > 0) {
    const bit = (c: SubGhzChannel): 0 | 1 => (c.upperBand ? 1 : 0);
    out.sg = [
      radio.config ? structuredClone(radio.config) : null,
      radio.channel ? [bit(radio.channel), radio.channel.channel] : null,
      radio.log.flatMap((e) => [e.atMs, bit(e.channel), e.channel.channel]),
    ];
  }
  if (state.outbox.length > 0) {
    out.ob = state.outbox.flatMap((a) => (a.requestId ? [a.code, a.atMs, a.requestId] : [a.code, a.atMs]));
  }
  encodeDeviceRecords(state, out);
  return out;
}

export function decodeState(stored: StoredMeterState, defaultCommissioned: boolean): MeterState {
  if (stored === null || typeof stored !== 'object' || stored.v !== 1) {
    throw DccError.internal('meter state is not version 1 of the stored form');
  }
  try {
    const state = initialState(stored.c === undefined ? defaultCommissioned : stored.c === 1);
    state.clockOffsetMs = stored.o ?? 0;
    state.outageSinceMs = stored.po ?? null;
    state.supply = stored.s === undefined ? 'enabled' : stored.s === 'a' ? 'armed' : 'disabled';
    state.disabledForCredit = stored.s === 'c';
    state.paymentMode = stored.m === 'p' ? 'prepayment' : 'credit';
    state.requestCounters = (stored.rc ?? []).map((entry) => {
      const [id, counter] = entry.split(':') as [string, string];
      return [canonicalEui(id), BigInt(counter)];
    });
    if (stored.tr) {
      const [supplierId, keyId, topUpKey = null, signingKey] = stored.tr;
      state.trust = { supplierId, keyId, topUpKey, ...(signingKey === undefined ? {} : { signingKey }) };
    }
    state.topUpHwm = BigInt(stored.th ?? '0');
    if (stored.tf)
      state.tariff = { table: stored.tf[0], pricesMp: [...stored.tf[1]], standingMpPerDay: stored.tf[2] };
    if (stored.tb) {
      state.touBaseMs = stored.tb[0]!;
      state.touBaseWh = stored.tb.slice(1);
    }
    if (stored.tk) state.tariffBook = structuredClone(stored.tk) as unknown as TariffBook;
    const flat = stored.oi ?? [];
    for (let i = 0; i < flat.length; i += 2) state.offIntervals.push([flat[i]!, flat[i + 1] ?? null]);
    if (stored.dr) [state.droppedOffImportWh, state.droppedOffExportWh, state.logHorizonMs] = stored.dr;
    if (stored.pp) {
      const [balanceMp, settledMs, ec, latches] = stored.pp;
      state.prepay = { ...state.prepay, balanceMp, settledMs, ecActive: ec === 1, latches };
    }
    if (stored.pc) {
      const [cap, limit, threshold, low, maxBalance, maxCredit, disablement, suspendOff, suspendEc] =
        stored.pc;
      state.prepay.config = {
        debtRecoveryCapMpPerDay: cap,
        emergencyCreditLimitMp: limit,
        emergencyCreditThresholdMp: threshold,
        lowCreditThresholdMp: low,
        maxMeterBalanceMp: maxBalance,
        maxCreditThresholdMp: maxCredit,
        disablementThresholdMp: disablement,
        suspendDebtDisabled: suspendOff === 1,
        suspendDebtEmergency: suspendEc === 1,
      };
    }
    if (stored.nd) {
      state.prepay.calendar = { fuel: stored.nd[0] === 'g' ? 'gas' : 'electricity', calendar: stored.nd[1] };
    }
    if (stored.pl) {
      const [daily, credits, debtPayments] = stored.pl;
      state.prepay.logs = {
        daily: daily.map((e) => [...e]),
        credits: credits.map((e) => [...e]),
        debtPayments: debtPayments.map((e) => [...e]),
      };
    }
    if (stored.db) {
      const [time1Mp, time2Mp, paymentMp, time1RateMpPerDay, time2RateMpPerDay, paymentRecoveryPercent] =
        stored.db;
      state.prepay.debt = {
        time1Mp,
        time2Mp,
        paymentMp,
        time1RateMpPerDay,
        time2RateMpPerDay,
        paymentRecoveryPercent,
      };
    }
    state.tenancyRestrictionMs = stored.tn ?? null;
    state.displayMessage = stored.dm ?? null;
    state.customerIdentificationNumber = stored.cn ?? null;
    state.supplierContact = stored.sc ?? null;
    state.privacyPinDisabled = stored.pn ?? false;
    state.accessControlBroker = stored.ab
      ? { floorSeq: stored.ab[0], certificateSha256: stored.ab[1] }
      : null;
    state.handedOver = stored.ho ?? {};
    state.mpxns = stored.mx ?? null;
    if (stored.vc) {
      const [averageOverV, averageUnderV, extremeOverV, extremeUnderV, swellV, sagV, a, e, s] = stored.vc as [
        number,
        number,
        number,
        number,
        number,
        number,
        number,
        number,
        number,
      ];
      state.voltage = {
        averageOverV,
        averageUnderV,
        extremeOverV,
        extremeUnderV,
        swellV,
        sagV,
        averagePeriodS: a,
        extremePeriodS: e,
        sagSwellPeriodS: s,
      };
    }
    if (stored.vp) {
      const vp = stored.vp;
      state.phaseVoltage = Array.from({ length: vp.length / 4 }, (_, i) => ({
        phase: vp[i * 4]!,
        averageOverV: vp[i * 4 + 1]!,
        averageUnderV: vp[i * 4 + 2]!,
        averagePeriodS: vp[i * 4 + 3]!,
      }));
    }
    state.voltageCounters = stored.vn ? [...stored.vn] : null;
    state.disabledAlerts = stored.da ? [...stored.da] : [];
    if (stored.dc) state.disabledOnChannels = structuredClone(stored.dc);
    if (stored.ll)
      state.loadLimit = { thresholdW: stored.ll[0], counterBase: stored.ll[1], sinceMs: stored.ll[2] };
    if (stored.ls)
      state.loadLimitSettings = {
        periodS: stored.ls[0],
        restorationPeriodS: stored.ls[1],
        supplyAction: stored.ls[2],
      };
    state.supplyTamperState = stored.st ?? null;
    if (stored.dk)
      state.deviceKeys = { current: [stored.dk[0], stored.dk[1]], pending: [stored.dk[2], stored.dk[3]] };
    state.remoteAnchors = stored.ra ? structuredClone(stored.ra) : {};
    state.auxLoad = stored.al ? structuredClone(stored.al) : null;
    if (stored.gs) state.gas = decodeGas(stored.gs);
    state.firmwareVersion = stored.fw ?? null;
    if (stored.fi) state.stagedImage = { hash: stored.fi[0], version: stored.fi[1] };
    state.pending = (stored.pd ?? []).map(([srv, executeAtMs, requestId, params]): PendingCommand => ({
      srv,
      executeAtMs,
      requestId,
      params: structuredClone(params),
    }));
    state.han.joins = (stored.hj ?? []).map(([deviceId, addedMs]) => ({
      deviceId,
      addedMs,
      installCode: false,
    }));
    state.han.log = (stored.hl ?? []).map(([deviceId, addedMs, code]) => ({
      deviceId,
      addedMs,
      installCode: code === 1,
    }));
    if (stored.sg) {
      const [config, channel, log] = stored.sg;
      state.subGhz.config = config ? structuredClone(config) : null;
      state.subGhz.channel = channel ? { upperBand: channel[0] === 1, channel: channel[1] } : null;
      for (let i = 0; i + 2 < log.length; i += 3) {
        state.subGhz.log.push({
          atMs: log[i]!,
          channel: { upperBand: log[i + 1] === 1, channel: log[i + 2]! },
        });
      }
    }
    const outbox = stored.ob ?? [];
    for (let i = 0; i < outbox.length;) {
      const code = outbox[i++] as number;
      const atMs = outbox[i++] as number;
      if (typeof outbox[i] === 'string') state.outbox.push({ code, atMs, requestId: outbox[i++] as string });
      else state.outbox.push({ code, atMs });
    }
    decodeDeviceRecords(stored, state);
    return state;
  } catch (error) {
    throw DccError.internal(
      `meter state is corrupt: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The stored form as UTF-8 JSON bytes, for a key-value store. */
export function stateToBytes(stored: StoredMeterState): Uint8Array {
  return encoder.encode(JSON.stringify(stored));
}

export function stateFromBytes(bytes: Uint8Array): StoredMeterState {
  try {
    return JSON.parse(decoder.decode(bytes)) as StoredMeterState;
  } catch (error) {
    throw DccError.internal(
      `meter state bytes are not JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
