/**
 * DUIS carries a time-based debt recovery rate as an integer, a power of ten and a period (ElecDebtRecovery1/2,
 * GasDebtRecovery1/2: DebtRecoveryRate, DebtRecoveryRatePriceScale, DebtRecoveryRatePeriod); the amount is
 * rate × 10^scale pence per period (inferred: DCC-REFERENCE names the fields, not their unit; pence as every
 * other price scale of the wire). The device model recovers debt per day in thousandths of a penny.
 */

/** Wire numbering of dcc.v1.DebtRecoveryRatePeriod, and how many periods make a day. */
export const DEBT_RECOVERY_PERIODS: Readonly<Record<number, { name: string; perDay: [bigint, bigint] }>> = {
  1: { name: 'HOURLY', perDay: [24n, 1n] },
  2: { name: 'DAILY', perDay: [1n, 1n] },
  3: { name: 'WEEKLY', perDay: [1n, 7n] },
};

export const DEBT_RECOVERY_SCALE = { min: -8, max: 3 } as const;

/** The DUIS rate as pence per day (at most three decimals), or what is wrong with it. */
export function debtRecoveryPencePerDay(
  rate: number,
  scale: number,
  period: number,
): { pencePerDay: number } | { error: string } {
  const per = DEBT_RECOVERY_PERIODS[period];
  if (!per)
    return {
      error: `period must be ${Object.values(DEBT_RECOVERY_PERIODS)
        .map((p) => p.name)
        .join(', ')}`,
    };
  if (!Number.isInteger(rate) || rate < 0 || rate > 0xffff_ffff)
    return { error: 'rate must be 0..4294967295' };
  if (!Number.isInteger(scale) || scale < DEBT_RECOVERY_SCALE.min || scale > DEBT_RECOVERY_SCALE.max) {
    return { error: `price scale must be ${DEBT_RECOVERY_SCALE.min}..${DEBT_RECOVERY_SCALE.max}` };
  }
  // Thousandths of a penny per day = rate × 10^(scale+3) × periods per day, which must be whole.
  const exponent = scale + 3;
  let numerator = BigInt(rate) * per.perDay[0] * 10n ** BigInt(Math.max(exponent, 0));
  const denominator = per.perDay[1] * 10n ** BigInt(Math.max(-exponent, 0));
  if (numerator % denominator !== 0n) {
    return { error: 'the rate is not a whole number of thousandths of a penny per day' };
  }
  numerator /= denominator;
  if (numerator > BigInt(Number.MAX_SAFE_INTEGER)) return { error: 'the rate is too large' };
  return { pencePerDay: Number(numerator) / 1000 };
}
