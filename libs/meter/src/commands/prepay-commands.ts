import { AlertCode, type DeviceAlert } from '../alerts.js';
import { trustedSupplier } from '../credentials.js';
import { settleCredit } from '../credit-settlement.js';
import type { DebtState, PrepayConfig } from '../meter-state.js';
import { mpToPence, penceToMp } from '../money.js';
import {
  creditBalance,
  debtOf,
  emergencyCreditMp,
  prepayConfig,
  rearmLatches,
  setDebt,
  storeConfig,
} from '../prepayment.js';
import { armIfCreditRestored } from '../supply-state.js';
import { verifyUtrn } from '../utrn.js';
import type { SrvHandler } from './handler.js';
import { done, meterTime, refused, type ExecContext } from './outcome.js';
import { Params } from './params.js';
import { CALENDAR_KEYS, parseCalendar, storeCalendar } from './prepay-calendar.js';
import { configReading } from './prepay-config-reading.js';
import type {
  DebtReading,
  MeterBalanceReading,
  PrepayConfigReading,
  PrepayValues,
  TopUpParams,
  TopUpReceipt,
  UpdateDebtParams,
  UpdateMeterBalanceParams,
  UpdatePrepayConfigParams,
} from './types.js';

const MAX_PENCE = 1_000_000; // £10,000: a sanity bound on any amount

/** Applies the credit rules at once after credit or its thresholds changed (may disable the supply). */
function applyCreditRules(ctx: ExecContext) {
  return settleCredit(ctx.state, ctx.device, ctx.at);
}

function prepayValues(ctx: ExecContext): PrepayValues {
  const { state } = ctx;
  const ec = emergencyCreditMp(state);
  const debt = debtOf(state);
  return {
    paymentMode: state.paymentMode,
    meterBalancePence: mpToPence(state.prepay.balanceMp),
    emergencyCreditActive: state.prepay.ecActive,
    emergencyCreditInUsePence: mpToPence(ec.inUse),
    emergencyCreditRemainingPence: mpToPence(ec.remaining),
    timeDebt1Pence: mpToPence(debt.time1Mp),
    timeDebt2Pence: mpToPence(debt.time2Mp),
    paymentDebtPence: mpToPence(debt.paymentMp),
    meterTimeMs: meterTime(ctx),
  };
}

function meterBalance(ctx: ExecContext, paymentMode = ctx.state.paymentMode): MeterBalanceReading {
  return {
    meterBalancePence: mpToPence(ctx.state.prepay.balanceMp),
    emergencyCreditBalancePence: mpToPence(emergencyCreditMp(ctx.state).remaining),
    meterTimeMs: meterTime(ctx),
    paymentMode,
  };
}

const PAYMENT_MODE = /^(credit|prepayment)$/;

/** After credit was added or a debit corrected: EC ends once repaid, latches re-arm, a credit-disabled supply arms. */
function afterCredit(ctx: ExecContext): void {
  const { state } = ctx;
  if (state.prepay.ecActive && state.prepay.balanceMp >= 0) state.prepay.ecActive = false;
  rearmLatches(state);
  armIfCreditRestored(state, ctx.device, ctx.at);
}

/**
 * 1.5 (ECS04a/b, GCS40a-d): adjust or reset the meter balance, in either payment mode. The model keeps one meter
 * balance for both modes (it moves only in prepayment mode), so DUIS's PrepaymentMode / CreditMode wrapper
 * (`balanceMode`) is reported back, not checked against the meter's mode. Adjustments do not feed the payment debt.
 */
export const updateMeterBalance: SrvHandler<UpdateMeterBalanceParams, MeterBalanceReading> = {
  parse(raw) {
    const p = new Params('1.5', raw).only('adjustPence', 'reset', 'balanceMode');
    const mode = p.has('balanceMode')
      ? { balanceMode: p.string('balanceMode', PAYMENT_MODE) as UpdateMeterBalanceParams['balanceMode'] }
      : {};
    if (p.has('reset')) {
      if (p.raw('reset') !== true || p.has('adjustPence'))
        throw p.error('give either adjustPence or reset: true');
      return { reset: true, ...mode };
    }
    const adjustPence = p.number('adjustPence', -MAX_PENCE, MAX_PENCE);
    penceToMp(adjustPence, 'SRV 1.5: adjustPence');
    return { adjustPence, ...mode };
  },
  execute(ctx, params) {
    const { state } = ctx;
    if ('reset' in params) state.prepay.balanceMp = 0;
    else state.prepay.balanceMp += penceToMp(params.adjustPence, 'adjustPence');
    afterCredit(ctx);
    const alerts = applyCreditRules(ctx);
    return done(meterBalance(ctx, params.balanceMode), alerts);
  },
};

const CONFIG_FIELDS = {
  emergencyCreditLimitPence: 'emergencyCreditLimitMp',
  emergencyCreditThresholdPence: 'emergencyCreditThresholdMp',
  lowCreditThresholdPence: 'lowCreditThresholdMp',
  maxMeterBalancePence: 'maxMeterBalanceMp',
  maxCreditThresholdPence: 'maxCreditThresholdMp',
  disablementThresholdPence: 'disablementThresholdMp',
} as const;

/**
 * 2.1 (ECS08/08a, GCS05): debt recovery cap, emergency credit limit and threshold, low credit threshold, maximum
 * meter balance, maximum credit per top-up, disablement threshold. Accepted in either payment mode, as GBCS
 * lets a supplier configure a credit-mode meter before it switches it to prepayment: the settings are stored and
 * govern charging from the switch. Device future-datable.
 */
export const updatePrepayConfig: SrvHandler<UpdatePrepayConfigParams, PrepayConfigReading> = {
  parse(raw) {
    const keys = ['debtRecoveryCapPencePerDay', ...Object.keys(CONFIG_FIELDS)];
    const p = new Params('2.1', raw)
      .only(...keys, ...CALENDAR_KEYS)
      .atLeastOne(...keys, 'electricityCalendar', 'gasCalendar');
    const out: UpdatePrepayConfigParams = {};
    parseCalendar(p, out);
    for (const key of Object.keys(CONFIG_FIELDS) as (keyof typeof CONFIG_FIELDS)[]) {
      const value = p.optionalNumber(key, key === 'disablementThresholdPence' ? -MAX_PENCE : 0, MAX_PENCE);
      if (value !== undefined) {
        penceToMp(value, `SRV 2.1: ${key}`);
        out[key] = value;
      }
    }
    if (p.raw('debtRecoveryCapPencePerDay') === null) out.debtRecoveryCapPencePerDay = null;
    else if (p.has('debtRecoveryCapPencePerDay')) {
      const cap = p.number('debtRecoveryCapPencePerDay', 0, MAX_PENCE);
      penceToMp(cap, 'SRV 2.1: debtRecoveryCapPencePerDay');
      out.debtRecoveryCapPencePerDay = cap;
    }
    return out;
  },
  execute(ctx, params) {
    const { state } = ctx;
    const config: PrepayConfig = { ...prepayConfig(state) };
    for (const key of Object.keys(CONFIG_FIELDS) as (keyof typeof CONFIG_FIELDS)[]) {
      const value = params[key];
      if (value !== undefined) config[CONFIG_FIELDS[key]] = penceToMp(value, key);
    }
    if (params.debtRecoveryCapPencePerDay !== undefined) {
      const cap = params.debtRecoveryCapPencePerDay;
      config.debtRecoveryCapMpPerDay = cap === null ? null : penceToMp(cap, 'cap');
    }
    storeConfig(state, config);
    storeCalendar(state, params);
    rearmLatches(state);
    const alerts = applyCreditRules(ctx);
    return done(configReading(config), alerts);
  },
};

/**
 * 2.2: the UTRN is checked with the device's KA key and the trusted supplier's top-up KA key (TrustedSupplier)
 * against the top-up high-water mark (utrn.ts). Rejections raise 0x8F51 (duplicate), 0x8F63 (not authentic),
 * 0x8F5B (above the maximum credit per top-up), 0x8F47 (the balance would exceed its maximum); the last two
 * leave the counter unused, so the same UTRN can be entered again once it fits. Accepted in either payment mode.
 */
export const topUp: SrvHandler<TopUpParams, TopUpReceipt> = {
  parse(raw) {
    const p = new Params('2.2', raw).only('utrn');
    return { utrn: p.string('utrn', /^[0-9]{20}$/, 20) };
  },
  execute(ctx, { utrn }) {
    const { state, device } = ctx;
    const at = meterTime(ctx);
    const trusted = trustedSupplier(state, device);
    const verdict = verifyUtrn(utrn, trusted.supplierId, device.deviceId, state.topUpHwm, {
      devicePrivateKey: device.kaPrivateKey(),
      supplierTopUpKey: trusted.topUpKey,
    });
    if (verdict.status === 'duplicate') {
      return refused('UTRN_DUPLICATE', `UTRN counter ${verdict.counter} was already used`, [
        { code: AlertCode.UTRN_DUPLICATE, atMs: at },
      ]);
    }
    if (verdict.status === 'not-authentic') {
      return refused('UTRN_NOT_AUTHENTIC', `UTRN not authentic: ${verdict.detail}`, [
        { code: AlertCode.UTRN_NOT_AUTHENTIC, atMs: at },
      ]);
    }
    const config = prepayConfig(state);
    const amountMp = penceToMp(verdict.pence, 'UTRN value');
    if (amountMp > config.maxCreditThresholdMp) {
      return refused('UTRN_EXCEEDS_MAX_CREDIT', `${verdict.pence} p exceeds the maximum credit per top-up`, [
        { code: AlertCode.UTRN_EXCEEDS_MAX_CREDIT, atMs: at },
      ]);
    }
    if (state.prepay.balanceMp + amountMp > config.maxMeterBalanceMp) {
      return refused('CREDIT_EXCEEDS_MAX_METER_BALANCE', 'the meter balance would exceed its maximum', [
        { code: AlertCode.CREDIT_WOULD_EXCEED_MAX_METER_BALANCE, atMs: at },
      ]);
    }
    state.topUpHwm = verdict.counter;
    const alerts = creditBalance(state, amountMp, at);
    afterCredit(ctx);
    return done(
      {
        creditedPence: verdict.pence,
        valueClass: verdict.valueClass,
        counter: verdict.counter.toString(),
        meterBalancePence: mpToPence(state.prepay.balanceMp),
        supply: state.supply,
      },
      alerts,
    );
  },
};

function debtReading(debt: DebtState): DebtReading {
  return {
    timeDebt1Pence: mpToPence(debt.time1Mp),
    timeDebt2Pence: mpToPence(debt.time2Mp),
    paymentDebtPence: mpToPence(debt.paymentMp),
    timeDebt1RecoveryPencePerDay: mpToPence(debt.time1RateMpPerDay),
    timeDebt2RecoveryPencePerDay: mpToPence(debt.time2RateMpPerDay),
    paymentDebtRecoveryPercent: debt.paymentRecoveryPercent,
  };
}

const DEBT_FIELDS = {
  timeDebt1Pence: 'time1Mp',
  timeDebt2Pence: 'time2Mp',
  paymentDebtPence: 'paymentMp',
  timeDebt1RecoveryPencePerDay: 'time1RateMpPerDay',
  timeDebt2RecoveryPencePerDay: 'time2RateMpPerDay',
} as const;

/**
 * 2.3: new values for the two time-based debt registers (recovered per day from the balance) and the
 * payment-based one (a share of each top-up), and their rates. Accepted in either mode; recovery runs only in
 * prepayment mode.
 */
export const updateDebt: SrvHandler<UpdateDebtParams, DebtReading> = {
  parse(raw) {
    const keys = [...Object.keys(DEBT_FIELDS), 'paymentDebtRecoveryPercent'];
    const p = new Params('2.3', raw).only(...keys).atLeastOne(...keys);
    const out: UpdateDebtParams = {};
    for (const key of Object.keys(DEBT_FIELDS) as (keyof typeof DEBT_FIELDS)[]) {
      const value = p.optionalNumber(key, 0, MAX_PENCE);
      if (value !== undefined) {
        penceToMp(value, `SRV 2.3: ${key}`);
        out[key] = value;
      }
    }
    const percent = p.optionalNumber('paymentDebtRecoveryPercent', 0, 100);
    if (percent !== undefined) out.paymentDebtRecoveryPercent = percent;
    return out;
  },
  execute(ctx, params) {
    const debt: DebtState = { ...debtOf(ctx.state) };
    for (const key of Object.keys(DEBT_FIELDS) as (keyof typeof DEBT_FIELDS)[]) {
      const value = params[key];
      if (value !== undefined) debt[DEBT_FIELDS[key]] = penceToMp(value, key);
    }
    if (params.paymentDebtRecoveryPercent !== undefined)
      debt.paymentRecoveryPercent = params.paymentDebtRecoveryPercent;
    setDebt(ctx.state, debt);
    const alerts = applyCreditRules(ctx);
    return done(debtReading(debtOf(ctx.state)), alerts);
  },
};

/**
 * 2.5: emergency credit is offered once the balance is below the EC threshold; activating it raises 0x81AB,
 * and a supply the credit rules had disabled is armed (0x8168). Prepayment mode only.
 */
export const activateEmergencyCredit: SrvHandler<undefined, PrepayValues> = {
  parse: (raw) => Params.none('2.5', raw),
  execute(ctx) {
    const { state } = ctx;
    const config = prepayConfig(state);
    if (state.paymentMode !== 'prepayment') {
      return refused('WRONG_PAYMENT_MODE', 'emergency credit exists only in prepayment mode');
    }
    if (state.prepay.ecActive)
      return refused('EMERGENCY_CREDIT_UNAVAILABLE', 'emergency credit is already active');
    if (config.emergencyCreditLimitMp <= 0) {
      return refused('EMERGENCY_CREDIT_UNAVAILABLE', 'the emergency credit limit is zero');
    }
    if (state.prepay.balanceMp >= config.emergencyCreditThresholdMp) {
      return refused('EMERGENCY_CREDIT_UNAVAILABLE', 'credit is not below the emergency credit threshold');
    }
    state.prepay.ecActive = true;
    const at = meterTime(ctx);
    const alerts: DeviceAlert[] = [{ code: AlertCode.EMERGENCY_CREDIT_ACTIVATED, atMs: at }];
    if (armIfCreditRestored(state, ctx.device, ctx.at)) {
      alerts.push({ code: AlertCode.SUPPLY_ARMED_EMERGENCY_CREDIT, atMs: at });
    }
    return done(prepayValues(ctx), alerts);
  },
};

export const readPrepayValues: SrvHandler<undefined, PrepayValues> = {
  parse: (raw) => Params.none('4.3', raw),
  execute: (ctx) => done(prepayValues(ctx)),
};

export const readMeterBalance: SrvHandler<undefined, MeterBalanceReading> = {
  parse: (raw) => Params.none('4.18', raw),
  execute: (ctx) => done(meterBalance(ctx)),
};
