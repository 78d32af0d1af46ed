import type { MeterState, PendingCommand } from './meter-state.js';

/**
 * Device future-dated commands (FD pattern "Device", DCC-REFERENCE §1.2): the device accepts the command now
 * with an execution date-time on its own clock, acts at that time, and reports the outcome with alert 0x8F66
 * (executed) or 0x8F67 (failed). The model holds at most one pending command per SRV: a newer one replaces it,
 * which keeps the state bounded. An execution date-time in the year 3000 cancels the pending one (GBCS).
 */
export function schedule(state: MeterState, command: PendingCommand): { replaced: boolean } {
  const others = state.pending.filter((p) => p.srv !== command.srv);
  const replaced = others.length !== state.pending.length;
  others.push(command);
  others.sort((a, b) => a.executeAtMs - b.executeAtMs);
  state.pending = others;
  return { replaced };
}

export function cancel(state: MeterState, srv: string): boolean {
  const before = state.pending.length;
  state.pending = state.pending.filter((p) => p.srv !== srv);
  return state.pending.length !== before;
}

/** The true (hub clock) time a pending command becomes due, given the meter's current clock offset. */
export function dueMs(state: MeterState, command: PendingCommand): number {
  return command.executeAtMs - state.clockOffsetMs;
}

/** Removes and returns the earliest pending command due at or before `upTo` (true time). */
export function takeDue(state: MeterState, upTo: number): PendingCommand | undefined {
  const first = state.pending[0];
  if (!first || dueMs(state, first) > upTo) return undefined;
  state.pending = state.pending.slice(1);
  return first;
}
