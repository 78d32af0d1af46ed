import type { MeterProfile } from '../device-model.js';
import type { ExecContext, Outcome } from './outcome.js';

/** One SRV's behaviour on the device. */
export interface SrvHandler<P, B> {
  /** Checks and normalises raw parameters (INVALID_ARGUMENT); the result is JSON-safe (it may be held pending). */
  parse(raw: unknown): P;
  /**
   * Checks, at receipt and before anything changes, an authority the command must carry besides the User's
   * (PERMISSION_DENIED): the CoS party's signature on a 6.23 credential swap. `requestId` is '' when none.
   */
  authorise?(ctx: ExecContext, params: P, requestId: string): void;
  /** Checks parameters against the current state (INVALID_ARGUMENT) before anything changes. */
  validate?(ctx: ExecContext, params: P): void;
  /** Runs the command at ctx.at. Never throws: device-rule refusals are outcomes. */
  execute(ctx: ExecContext, params: P): Outcome<B>;
  /** Checks at receipt of a device future-dated command (execution checks again). */
  admit?(ctx: ExecContext, params: P): Outcome<never> | undefined;
  /** Accepted before the device is commissioned (8.1.1). */
  beforeCommissioning?: boolean;
  /** Why this device profile does not support the SRV, or undefined when it does. */
  unsupportedBy?(profile: MeterProfile): string | undefined;
}
