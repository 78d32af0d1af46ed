import type { DeviceModel } from './device-model.js';
import type { MeterState, SupplyState } from './meter-state.js';
import { availableCreditMp, prepayConfig } from './prepayment.js';

/**
 * Supply switch state machine (7.1 enable, 7.2 disable, 7.3 arm, the consumer's button), as modelled:
 *
 *   enabled ──7.2──► disabled ──7.3──► armed ──button / 7.1──► enabled
 *      ▲                │  ▲                                       │
 *      └──7.1 (credit)──┘  └──────────── 7.2, credit exhausted ────┘
 *
 * - 7.2 disables from any state. A prepayment meter also disables itself when its available credit reaches
 *   the disablement threshold (credit-settlement.ts).
 * - 7.3 arms a disabled supply; arming an enabled supply is refused (nothing to arm).
 * - 7.1 enables an armed supply; a disabled one only in credit mode (remote reconnection). In prepayment mode a
 *   disabled supply must be armed first so that someone at the premises confirms the reconnection, and either
 *   way it needs credit above the disablement threshold.
 * - A top-up (or EC activation) that lifts credit above the threshold arms a supply the credit rules had
 *   disabled; it does not re-enable one a supplier disabled with 7.2.
 * Disabled and armed both mean "not supplied": no energy is delivered or charged (metering.ts).
 */
export type SupplyRefusal = { reason: 'INVALID_SUPPLY_TRANSITION' | 'INSUFFICIENT_CREDIT'; message: string };

export function setSupply(
  state: MeterState,
  device: DeviceModel,
  supply: SupplyState,
  at: number,
  forCredit = false,
): void {
  state.supply = supply;
  state.disabledForCredit = supply === 'disabled' && forCredit;
  device.metering.recordSupply(state, at);
}

/** In prepayment mode, whether the credit allows supply. Credit mode: always. */
export function creditAllowsSupply(state: MeterState): boolean {
  return (
    state.paymentMode === 'credit' || availableCreditMp(state) > prepayConfig(state).disablementThresholdMp
  );
}

export function enableSupply(state: MeterState, device: DeviceModel, at: number): SupplyRefusal | undefined {
  if (state.supply === 'enabled') return undefined;
  if (state.paymentMode === 'prepayment' && state.supply === 'disabled') {
    return {
      reason: 'INVALID_SUPPLY_TRANSITION',
      message: 'a prepayment meter is armed (7.3) before its supply is enabled',
    };
  }
  if (!creditAllowsSupply(state)) {
    return { reason: 'INSUFFICIENT_CREDIT', message: 'credit is at or below the disablement threshold' };
  }
  setSupply(state, device, 'enabled', at);
  return undefined;
}

export function disableSupply(state: MeterState, device: DeviceModel, at: number): void {
  setSupply(state, device, 'disabled', at);
}

export function armSupply(state: MeterState, device: DeviceModel, at: number): SupplyRefusal | undefined {
  if (state.supply === 'enabled') {
    return { reason: 'INVALID_SUPPLY_TRANSITION', message: 'the supply is enabled: there is nothing to arm' };
  }
  setSupply(state, device, 'armed', at);
  return undefined;
}

/** The consumer presses the meter's (or PPMID's) button: an armed supply with enough credit is enabled. */
export function consumerEnableSupply(
  state: MeterState,
  device: DeviceModel,
  at: number,
): SupplyRefusal | undefined {
  if (state.supply !== 'armed') {
    return { reason: 'INVALID_SUPPLY_TRANSITION', message: `the supply is ${state.supply}, not armed` };
  }
  return enableSupply(state, device, at);
}

/** After credit was added: a supply the credit rules disabled is armed once credit allows. */
export function armIfCreditRestored(state: MeterState, device: DeviceModel, at: number): boolean {
  if (!state.disabledForCredit || !creditAllowsSupply(state)) return false;
  setSupply(state, device, 'armed', at);
  return true;
}
