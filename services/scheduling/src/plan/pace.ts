import type { WindowSpan } from './collection-windows.js';

/** A lane's pacing state carried from tick to tick (per lane, never per schedule). */
export interface LaneCredit {
  /** Runs the lane may still release (fractions accumulate between ticks). */
  credit: number;
  /** When it was last paced, UTC ms. */
  atMs: number;
}

/** What one tick of the plan does for one lane. */
export interface LanePace {
  /** Runs to release now. */
  release: number;
  /** The release rate chosen, runs per second. */
  ratePerS: number;
  /** Runs waiting that the lane's capacity cannot release before the window ends (0 outside a window). */
  atRisk: number;
  next: LaneCredit;
}

/**
 * How fast a lane releases its waiting runs. In a window the rate is the waiting work spread evenly over what
 * is left of the window, never above the lane's capacity: a night due at once at the window's start leaves at a
 * flat rate, not as a spike; work added later, or a window that started late (the service was down), raises the
 * rate for the rest of the window (re-spread over the remaining time). Past a window with work still waiting
 * (it ran late: capacity too small) the lane releases at its capacity until it has caught up; otherwise work
 * waits for the next window. Credit never exceeds one second's release at the rate, so a paused tick does not
 * turn into a burst.
 */
export function paceLane(input: {
  waiting: number;
  capacityPerS: number;
  nowMs: number;
  window: WindowSpan | undefined;
  /** Runs are waiting that fell due before the last window ended (it ran late). */
  overdue: boolean;
  previous: LaneCredit | undefined;
}): LanePace {
  const { waiting, capacityPerS, nowMs, window, overdue, previous } = input;
  let ratePerS = 0;
  let atRisk = 0;
  if (window) {
    const remainingS = Math.max((window.endMs - nowMs) / 1000, 1e-3);
    ratePerS = Math.min(capacityPerS, waiting / remainingS);
    atRisk = Math.max(0, waiting - Math.floor(capacityPerS * remainingS));
  } else if (overdue) {
    ratePerS = capacityPerS;
  }
  const elapsedS = previous ? Math.max(0, nowMs - previous.atMs) / 1000 : 0;
  const earned = Math.min((previous?.credit ?? 0) + ratePerS * elapsedS, Math.max(1, ratePerS));
  // Whole runs only; the first tick of a lane (no previous) earns nothing, it starts the clock.
  const release = ratePerS === 0 ? 0 : Math.min(waiting, Math.floor(earned));
  const credit = waiting === 0 || ratePerS === 0 ? 0 : earned - release;
  return { release, ratePerS, atRisk, next: { credit, atMs: nowMs } };
}
