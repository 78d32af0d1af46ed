import { gasRegisters, isGasDevice } from '../gas.js';
import type { Tariff } from '../meter-state.js';
import { mpToPence, penceToMp } from '../money.js';
import { MAX_RATES, tableFromRates, tariffOf } from '../tariff.js';
import { SLOTS_PER_DAY } from '../time.js';
import type { SrvHandler } from './handler.js';
import { applyTariff } from './apply-tariff.js';
import { applyDuisTariff, parseDuisTariff } from './tariff-commands.js';
import { done, meterTime, type ExecContext } from './outcome.js';
import { Params } from './params.js';
import type {
  ExportRegisterReading,
  ImportRegisterReading,
  TariffSummary,
  TouMatrixReading,
  UpdateImportTariffParams,
} from './types.js';

function readImportRegisters(ctx: ExecContext): ImportRegisterReading {
  const { totalWh, touWh } = ctx.device.metering.importRegistersWh(ctx.state, ctx.at);
  const reading = { totalActiveImportWh: totalWh, touActiveImportWh: touWh, meterTimeMs: meterTime(ctx) };
  if (!isGasDevice(ctx.device.profile.deviceType)) return reading;
  // A gas meter's consumption register is its volume; the energy it reports is derived from it (gas.ts).
  const gas = gasRegisters(ctx.state, ctx.device, ctx.at);
  return { ...reading, totalActiveImportWh: gas.consumptionEnergyWh, gas };
}

/**
 * 1.1.1: the new tariff applies to half hours ending after it takes effect; the TOU registers carry on from
 * their values then (GBCS registers are not reset by a tariff change). Device future-datable.
 */
export const updateImportTariff: SrvHandler<UpdateImportTariffParams, TariffSummary> = {
  parse(raw) {
    const duis = new Params('1.1.1', raw);
    if (duis.has('tariff')) return { tariff: parseDuisTariff(duis.only('tariff')) };
    const p = new Params('1.1.1', raw).only(
      'switchingTable',
      'pricesPencePerKWh',
      'standingChargePencePerDay',
    );
    const prices = p.numbers('pricesPencePerKWh', 0, 1_000, { min: 1, max: MAX_RATES });
    prices.forEach((price, i) => penceToMp(price, `SRV 1.1.1: pricesPencePerKWh[${i}]`));
    const table = p.numbers('switchingTable', 1, prices.length, { min: SLOTS_PER_DAY, max: SLOTS_PER_DAY });
    if (!table.every(Number.isInteger)) throw p.error('switchingTable must hold rate numbers');
    const standing = p.number('standingChargePencePerDay', 0, 10_000);
    penceToMp(standing, 'SRV 1.1.1: standingChargePencePerDay');
    return { switchingTable: table, pricesPencePerKWh: prices, standingChargePencePerDay: standing };
  },
  execute(ctx, params) {
    if ('tariff' in params) {
      applyDuisTariff(ctx, params.tariff);
      return done({
        ...summaryOf(tariffOf(ctx.state)),
        effectiveFromMs: meterTime(ctx),
        tariff: params.tariff,
      });
    }
    if (ctx.state.tariffBook)
      ctx.state.tariffBook = { ...ctx.state.tariffBook, primary: null, primaryFromMs: 0 };
    const tariff: Tariff = {
      table: tableFromRates(params.switchingTable),
      pricesMp: params.pricesPencePerKWh.map((p) => penceToMp(p, 'price')),
      standingMpPerDay: penceToMp(params.standingChargePencePerDay, 'standing charge'),
    };
    applyTariff(ctx, tariff);
    return done({ ...params, effectiveFromMs: meterTime(ctx) });
  },
};

/** The daily table and prices a tariff meters by, in the simple form's units. */
function summaryOf(tariff: Tariff) {
  return {
    switchingTable: [...tariff.table].map((c) => c.charCodeAt(0) - 48),
    pricesPencePerKWh: tariff.pricesMp.map(mpToPence),
    standingChargePencePerDay: mpToPence(tariff.standingMpPerDay),
  };
}

export const readInstantaneousImportRegisters: SrvHandler<undefined, ImportRegisterReading> = {
  parse: (raw) => Params.none('4.1.1', raw),
  execute: (ctx) => done(readImportRegisters(ctx)),
  beforeCommissioning: true,
};

export const readTouMatrices: SrvHandler<undefined, TouMatrixReading> = {
  parse: (raw) => Params.none('4.1.2', raw),
  execute(ctx) {
    const registers = ctx.device.metering.touRegistersWh(ctx.state, ctx.at);
    return done({ touMatrixWh: registers.map((wh) => [wh]), meterTimeMs: meterTime(ctx) });
  },
  unsupportedBy: (profile) =>
    profile.noTouMatrices ? 'the device keeps no TOU matrices (SMETS1)' : undefined,
};

/** 4.2: zero registers unless the premises export (MeterProfile.hasExport). */
export const readExportRegisters: SrvHandler<undefined, ExportRegisterReading> = {
  parse: (raw) => Params.none('4.2', raw),
  execute: (ctx) =>
    done({
      totalActiveExportWh: ctx.device.metering.exportTotalWh(ctx.state, ctx.at),
      meterTimeMs: meterTime(ctx),
    }),
};
