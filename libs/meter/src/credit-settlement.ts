import { AlertCode, type DeviceAlert } from './alerts.js';
import type { DeviceModel } from './device-model.js';
import type { MeterState } from './meter-state.js';
import { perDayAccrual } from './money.js';
import {
  availableCreditMp,
  debtOf,
  EC_AVAILABLE_LATCH,
  LOW_CREDIT_LATCH,
  prepayConfig,
  setDebt,
  timeDebtRates,
} from './prepayment.js';
import { nonDisablementEnd } from './non-disablement.js';
import { logMidnights } from './prepay-logs.js';
import { energyCostMp, standingChargeMp, tariffOf } from './tariff.js';
import { firstReached } from './time.js';

/**
 * What the meter charged between its last settlement and `t`: energy at the tariff's prices, standing
 * charge, and time-based debt recovery (capped by what is owed). Every part is a difference of cumulative
 * floored functions, so settling often or rarely gives the same balance.
 */
function chargesSince(
  state: MeterState,
  device: DeviceModel,
  t: number,
): { totalMp: number; debt: [number, number] } {
  const from = state.prepay.settledMs;
  const tariff = tariffOf(state);
  const metering = device.metering;
  const energy =
    energyCostMp(tariff, metering.touRegistersWh(state, t)) -
    energyCostMp(tariff, metering.touRegistersWh(state, from));
  const standing = standingChargeMp(tariff, t) - standingChargeMp(tariff, from);
  const debt = debtOf(state);
  const [rate1, rate2] = timeDebtRates(state);
  const debt1 = Math.min(debt.time1Mp, perDayAccrual(rate1, t) - perDayAccrual(rate1, from));
  const debt2 = Math.min(debt.time2Mp, perDayAccrual(rate2, t) - perDayAccrual(rate2, from));
  return { totalMp: energy + standing + debt1 + debt2, debt: [debt1, debt2] };
}

/**
 * Brings a prepayment meter's balance from its last settlement to `to` (true time), raising the alerts of
 * every threshold crossed on the way, at the instant it was crossed: low credit (0x810D), emergency credit
 * available (0x8119), time debt collected (0x81A7/8), and credit exhausted, which disables the supply
 * (0x8F0F, plus 0x81AA when emergency credit was in use), or at the end of the non-disablement period (2.1's
 * calendar) it happens in. Once the supply is off no more energy is charged;
 * standing charge and debt recovery continue. Each midnight on the way goes into the prepayment daily read log
 * (4.14). Alerts are timed no earlier than `alertFloorMs` (a meter that was
 * without power raises them when it is back). Credit mode: nothing to do.
 */
export function settleCredit(
  state: MeterState,
  device: DeviceModel,
  to: number,
  alertFloorMs = Number.NEGATIVE_INFINITY,
): DeviceAlert[] {
  if (state.paymentMode !== 'prepayment') return [];
  const alerts: { code: number; at: number }[] = [];
  const config = prepayConfig(state);
  for (;;) {
    const from = state.prepay.settledMs;
    if (to < from) break;
    const balanceAt = (t: number) => state.prepay.balanceMp - chargesSince(state, device, t).totalMp;
    const availableAt = (t: number) => availableCreditMp(state, balanceAt(t));

    let disableAt =
      state.supply === 'enabled'
        ? crossing(from, to, (t) => availableAt(t) <= config.disablementThresholdMp)
        : undefined;
    // In a non-disablement period (2.1's calendar) the supply stays on until the period ends.
    const periodEnd = disableAt === undefined ? undefined : nonDisablementEnd(state, disableAt);
    if (periodEnd !== undefined) disableAt = undefined;
    const end = disableAt ?? Math.min(periodEnd ?? to, to);

    if (!(state.prepay.latches & LOW_CREDIT_LATCH)) {
      const at = crossing(from, end, (t) => availableAt(t) < config.lowCreditThresholdMp);
      if (at !== undefined) {
        alerts.push({ code: AlertCode.LOW_CREDIT, at });
        state.prepay.latches |= LOW_CREDIT_LATCH;
      }
    }
    if (
      !state.prepay.ecActive &&
      config.emergencyCreditLimitMp > 0 &&
      !(state.prepay.latches & EC_AVAILABLE_LATCH)
    ) {
      const at = crossing(from, end, (t) => balanceAt(t) < config.emergencyCreditThresholdMp);
      if (at !== undefined) {
        alerts.push({ code: AlertCode.EMERGENCY_CREDIT_AVAILABLE, at });
        state.prepay.latches |= EC_AVAILABLE_LATCH;
      }
    }
    const debt = debtOf(state);
    const charged = chargesSince(state, device, end);
    const owed = [debt.time1Mp, debt.time2Mp] as const;
    const codes = [AlertCode.TIME_DEBT_1_COLLECTED, AlertCode.TIME_DEBT_2_COLLECTED] as const;
    for (const k of [0, 1] as const) {
      if (owed[k] > 0 && charged.debt[k] >= owed[k]) {
        const at = firstReached(from, end, (t) => chargesSince(state, device, t).debt[k] >= owed[k]);
        alerts.push({ code: codes[k], at });
      }
    }

    logMidnights(state, from, end, (m) => {
      const balanceMp = balanceAt(m);
      const recovered = chargesSince(state, device, m).debt;
      const ecUsed = Math.max(0, -balanceMp);
      return {
        balanceMp,
        ecRemainingMp: state.prepay.ecActive ? Math.max(0, config.emergencyCreditLimitMp - ecUsed) : 0,
        time1Mp: debt.time1Mp - recovered[0],
        time2Mp: debt.time2Mp - recovered[1],
        paymentMp: debt.paymentMp,
      };
    });
    state.prepay.balanceMp -= charged.totalMp;
    setDebt(state, {
      ...debt,
      time1Mp: debt.time1Mp - charged.debt[0],
      time2Mp: debt.time2Mp - charged.debt[1],
    });
    state.prepay.settledMs = end;

    if (disableAt === undefined) {
      if (end < to) continue;
      break;
    }
    alerts.push({ code: AlertCode.CREDIT_BELOW_DISABLEMENT_THRESHOLD, at: disableAt });
    if (state.prepay.ecActive) alerts.push({ code: AlertCode.EMERGENCY_CREDIT_EXHAUSTED, at: disableAt });
    state.supply = 'disabled';
    state.disabledForCredit = true;
    device.metering.recordSupply(state, disableAt);
  }
  return alerts
    .sort((a, b) => a.at - b.at)
    .map(({ code, at }) => ({ code, atMs: Math.max(at, alertFloorMs) + state.clockOffsetMs }));
}

/**
 * The first instant in [from, to] at which a monotone condition holds: `from` itself when it already holds
 * there, undefined when it does not hold by `to`.
 */
function crossing(from: number, to: number, holds: (t: number) => boolean): number | undefined {
  if (!holds(to)) return undefined;
  if (holds(from)) return from;
  return firstReached(from, to, holds);
}
