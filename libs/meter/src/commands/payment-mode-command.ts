import { settleCredit } from '../credit-settlement.js';
import type { MeterState, PrepayConfig } from '../meter-state.js';
import { mpToPence, penceToMp } from '../money.js';
import { prepayConfig, storeConfig } from '../prepayment.js';
import { setSupply } from '../supply-state.js';
import type { SrvHandler } from './handler.js';
import { done } from './outcome.js';
import { Params } from './params.js';
import type { PaymentModeStatus, UpdatePaymentModeParams } from './types.js';

const MAX_PENCE = 1_000_000; // as every prepayment amount: a sanity bound
const PAYMENT_MODE = /^(credit|prepayment)$/;
const PREPAYMENT_SETTINGS = ['suspendDebtDisabled', 'suspendDebtEmergency', 'disablementThresholdPence'];

/**
 * 1.6 (ECS02/03, GCS02/03): credit → prepayment starts charging from now (and may disable at once when there is
 * no credit); prepayment → credit ends emergency credit (what was used stays owed in the balance) and arms a
 * supply the credit rules had disabled. To prepayment it also sets what DUIS's Prepayment element carries: the
 * disablement threshold and whether time-based debt recovery stops while the supply is off or emergency credit
 * is in use (also when the meter is in prepayment mode already). Device future-datable.
 */
export const updatePaymentMode: SrvHandler<UpdatePaymentModeParams, PaymentModeStatus> = {
  parse(raw) {
    const p = new Params('1.6', raw).only('mode', ...PREPAYMENT_SETTINGS);
    const mode = p.string('mode', PAYMENT_MODE) as UpdatePaymentModeParams['mode'];
    const out: UpdatePaymentModeParams = { mode };
    if (mode === 'credit' && PREPAYMENT_SETTINGS.some((key) => p.has(key)))
      throw p.error('the prepayment settings go only with mode prepayment');
    for (const key of ['suspendDebtDisabled', 'suspendDebtEmergency'] as const) {
      if (!p.has(key)) continue;
      if (typeof p.raw(key) !== 'boolean') throw p.error(`${key} must be true or false`);
      out[key] = p.raw(key) as boolean;
    }
    const threshold = p.optionalNumber('disablementThresholdPence', -MAX_PENCE, MAX_PENCE);
    if (threshold !== undefined) {
      penceToMp(threshold, 'SRV 1.6: disablementThresholdPence');
      out.disablementThresholdPence = threshold;
    }
    return out;
  },
  execute(ctx, params) {
    const { state } = ctx;
    const { mode } = params;
    if (mode === 'prepayment') setPrepaymentSettings(state, params);
    if (mode !== state.paymentMode) {
      state.paymentMode = mode;
      state.prepay.latches = 0;
      if (mode === 'prepayment') state.prepay.settledMs = ctx.at;
      else {
        state.prepay.ecActive = false;
        state.prepay.settledMs = 0;
        if (state.disabledForCredit) setSupply(state, ctx.device, 'armed', ctx.at);
      }
    }
    // The switch, or a new disablement threshold, may disable the supply at once (nothing in credit mode).
    const alerts = settleCredit(state, ctx.device, ctx.at);
    return done(paymentModeStatus(state), alerts);
  },
};

/** The payment mode and its prepayment settings, as 1.6 answers them and 6.2.9 reads them. */
export function paymentModeStatus(state: MeterState): PaymentModeStatus {
  const config = prepayConfig(state);
  return {
    paymentMode: state.paymentMode,
    supply: state.supply,
    disablementThresholdPence: mpToPence(config.disablementThresholdMp),
    suspendDebtDisabled: config.suspendDebtDisabled,
    suspendDebtEmergency: config.suspendDebtEmergency,
  };
}

function setPrepaymentSettings(state: MeterState, params: UpdatePaymentModeParams): void {
  const config: PrepayConfig = { ...prepayConfig(state) };
  if (params.suspendDebtDisabled !== undefined) config.suspendDebtDisabled = params.suspendDebtDisabled;
  if (params.suspendDebtEmergency !== undefined) config.suspendDebtEmergency = params.suspendDebtEmergency;
  if (params.disablementThresholdPence !== undefined)
    config.disablementThresholdMp = penceToMp(params.disablementThresholdPence, 'disablementThresholdPence');
  storeConfig(state, config);
}
