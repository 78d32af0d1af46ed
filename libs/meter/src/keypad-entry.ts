import { AlertCode } from './alerts.js';
import { topUp } from './commands/prepay-commands.js';
import type { ExecContext, Outcome } from './commands/outcome.js';
import type { TopUpReceipt } from './commands/types.js';

/** Where the consumer keyed the UTRN in: the meter's own keypad or the prepayment interface device (PPMID). */
export type KeypadDevice = 'meter' | 'ppmid';

/**
 * A UTRN keyed in at the premises (GBCS PECS01): the very checks of a 2.2 received over the WAN (the topUp
 * handler: authentic for this device and its trusted supplier, counter above the high-water mark, within the
 * maximum credit and meter balance), against the same state, so a UTRN credited one way is a duplicate (0x8F51)
 * the other way. A credit raises 0x810E (credit added locally); a refusal, the alert the check raises. A value
 * that is not 20 digits is refused as not authentic: the keypad takes whatever was typed.
 */
export function keyInUtrn(ctx: ExecContext, utrn: string): Outcome<TopUpReceipt> {
  let params;
  try {
    params = topUp.parse({ utrn });
  } catch {
    const at = ctx.at + ctx.state.clockOffsetMs;
    return {
      ok: false,
      reason: 'UTRN_NOT_AUTHENTIC',
      message: 'a UTRN is 20 digits',
      alerts: [{ code: AlertCode.UTRN_NOT_AUTHENTIC, atMs: at }],
    };
  }
  const outcome = topUp.execute(ctx, params);
  if (!outcome.ok) return outcome;
  const atMs = ctx.at + ctx.state.clockOffsetMs;
  return { ...outcome, alerts: [...outcome.alerts, { code: AlertCode.CREDIT_ADDED_LOCALLY, atMs }] };
}
