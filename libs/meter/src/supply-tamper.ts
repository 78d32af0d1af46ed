import type { SrvHandler } from './commands/handler.js';
import { done, meterTime } from './commands/outcome.js';
import { Params } from './commands/params.js';
import type { SupplyTamperAction } from './meter-state.js';

const ACTIONS: readonly SupplyTamperAction[] = ['unchanged', 'locked'];

/**
 * 6.25 Set Electricity Supply Tamper State: the ESME keeps what it is to do to its supply when it detects a tamper
 * (Locked: disable and lock it; Unchanged: leave it) and answers the setting it now holds. The model raises no
 * tamper events, so the setting is configuration the device keeps and reports, not yet acted on.
 */
export const setSupplyTamperState: SrvHandler<
  { supplyTamperState: SupplyTamperAction },
  { supplyTamperState: SupplyTamperAction; meterTimeMs: number }
> = {
  parse(raw) {
    const p = new Params('6.25', raw).only('supplyTamperState');
    const value = p.raw('supplyTamperState');
    if (!ACTIONS.includes(value as SupplyTamperAction))
      throw p.error(`supplyTamperState must be ${ACTIONS.join(' or ')}`);
    return { supplyTamperState: value as SupplyTamperAction };
  },
  execute(ctx, { supplyTamperState }) {
    ctx.state.supplyTamperState = supplyTamperState;
    return done({ supplyTamperState, meterTimeMs: meterTime(ctx) });
  },
  unsupportedBy: (profile) =>
    profile.deviceType === 'ESME' ? undefined : 'only an ESME holds an electricity supply tamper state',
};
