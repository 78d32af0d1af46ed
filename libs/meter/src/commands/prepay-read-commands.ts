import { BODY_LIMITS } from '@dcc/domain';
import type { MeterState } from '../meter-state.js';
import { mpToPence } from '../money.js';
import { entriesIn } from '../prepay-logs.js';
import { debtOf, prepayConfig } from '../prepayment.js';
import { DAILY_LOG_RETENTION_MS, visibleFromMs } from '../tenancy.js';
import { DAY_MS } from '../time.js';
import type { SrvHandler } from './handler.js';
import { readLogPeriod } from './log-commands.js';
import { done, meterTime, type ExecContext } from './outcome.js';
import { Params } from './params.js';
import { configReading } from './prepay-config-reading.js';
import type {
  DebtPaymentEntry,
  LogEntries,
  PrepaymentConfigurationReading,
  PrepaymentCreditEntry,
  PrepaymentDailyReadEntry,
  ReadLogPeriod,
} from './types.js';

/** Longest span one prepayment log read may ask for (the hub checks it too: BODY_LIMITS). */
const MAX_PREPAY_LOG_SPAN_MS = BODY_LIMITS.prepayLogReadDays * DAY_MS;
/** The billing data logs have none (BODY_LIMITS.billingLogReadDays is unbounded). */
const MAX_BILLING_LOG_SPAN_MS = BODY_LIMITS.billingLogReadDays * DAY_MS;

/** 4.13 (ECS26a, GCS21b): the prepayment configuration in force, in either payment mode. */
export const readPrepaymentConfiguration: SrvHandler<undefined, PrepaymentConfigurationReading> = {
  parse: (raw) => Params.none('4.13', raw),
  execute(ctx) {
    const { state } = ctx;
    const config = prepayConfig(state);
    return done({
      ...configReading(config),
      paymentMode: state.paymentMode,
      suspendDebtDisabled: config.suspendDebtDisabled,
      suspendDebtEmergency: config.suspendDebtEmergency,
      paymentDebtRecoveryPercent: debtOf(state).paymentRecoveryPercent,
      meterTimeMs: meterTime(ctx),
      calendar: state.prepay.calendar,
    });
  },
};

/** The entries of a log in the period that the tenancy restriction (3.2) does not hide. */
function visible(
  ctx: ExecContext,
  log: (state: MeterState) => number[][] | undefined,
  period: ReadLogPeriod,
) {
  const from = Math.max(period.startMs, visibleFromMs(ctx.state, ctx.at, DAILY_LOG_RETENTION_MS));
  return entriesIn(log(ctx.state), from, period.endMs);
}

/**
 * 4.14 (ECS21b, GCS16b): the meter balance, emergency credit balance and debt registers at each UTC midnight of
 * the period the meter spent in prepayment mode (a credit-mode meter logs none), at most 31 kept.
 */
export const readPrepaymentDailyReadLog: SrvHandler<ReadLogPeriod, LogEntries<PrepaymentDailyReadEntry>> = {
  parse: (raw) => readLogPeriod('4.14', raw, MAX_PREPAY_LOG_SPAN_MS),
  execute(ctx, period) {
    const entries = visible(ctx, (s) => s.prepay.logs?.daily, period).map(
      ([atMs, balance, ec, time1, time2, payment]) => ({
        atMs: atMs!,
        meterBalancePence: mpToPence(balance!),
        emergencyCreditBalancePence: mpToPence(ec!),
        timeDebt1Pence: mpToPence(time1!),
        timeDebt2Pence: mpToPence(time2!),
        paymentDebtPence: mpToPence(payment!),
      }),
    );
    return done({ entries });
  },
};

/** 4.4.4 (ECS20a, GCS15d): each payment-based debt recovery a top-up made, and the register after it. */
export const readDebtPaymentsLog: SrvHandler<ReadLogPeriod, LogEntries<DebtPaymentEntry>> = {
  parse: (raw) => readLogPeriod('4.4.4', raw, MAX_BILLING_LOG_SPAN_MS),
  execute(ctx, period) {
    const entries = visible(ctx, (s) => s.prepay.logs?.debtPayments, period).map(
      ([atMs, recovered, after]) => ({
        atMs: atMs!,
        recoveredPence: mpToPence(recovered!),
        paymentDebtAfterPence: mpToPence(after!),
      }),
    );
    return done({ entries });
  },
};

/** 4.4.5 (ECS20d, GCS15e): each credit a top-up (over the WAN or keyed in) applied. */
export const readPrepaymentCreditsLog: SrvHandler<ReadLogPeriod, LogEntries<PrepaymentCreditEntry>> = {
  parse: (raw) => readLogPeriod('4.4.5', raw, MAX_BILLING_LOG_SPAN_MS),
  execute(ctx, period) {
    const entries = visible(ctx, (s) => s.prepay.logs?.credits, period).map(([atMs, credit]) => ({
      atMs: atMs!,
      creditPence: mpToPence(credit!),
    }));
    return done({ entries });
  },
};
