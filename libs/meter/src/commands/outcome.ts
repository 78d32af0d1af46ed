import type { DeviceAlert } from '../alerts.js';
import type { DeviceModel } from '../device-model.js';
import type { MeterState } from '../meter-state.js';
import type { RejectionReason } from './types.js';

/** What a behaviour needs: the state to change, the device's physics, and the instant it acts at. */
export interface ExecContext {
  readonly state: MeterState;
  readonly device: DeviceModel;
  /** True (hub clock) time the command takes effect. */
  readonly at: number;
}

export function meterTime(ctx: ExecContext): number {
  return ctx.at + ctx.state.clockOffsetMs;
}

export type Outcome<B> =
  | { ok: true; body: B; alerts: DeviceAlert[] }
  | { ok: false; reason: RejectionReason; message: string; alerts: DeviceAlert[] };

export function done<B>(body: B, alerts: DeviceAlert[] = []): Outcome<B> {
  return { ok: true, body, alerts };
}

export function refused(
  reason: RejectionReason,
  message: string,
  alerts: DeviceAlert[] = [],
): Outcome<never> {
  return { ok: false, reason, message, alerts };
}
