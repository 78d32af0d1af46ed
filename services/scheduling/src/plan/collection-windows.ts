import { DAY_MS } from '@dcc/domain';

/** A collection window as configured: seconds after UTC midnight; an end at or before the start crosses midnight. */
export interface CollectionWindow {
  startS: number;
  endS: number;
}

/** One occurrence of a window, UTC milliseconds (start inclusive, end exclusive). */
export interface WindowSpan {
  startMs: number;
  endMs: number;
}

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

function secondsOf(text: string, setting: string): number {
  const match = TIME.exec(text.trim());
  if (!match) throw new Error(`${setting}: "${text}" is not a UTC time of day HH:MM`);
  return Number(match[1]) * 3_600 + Number(match[2]) * 60;
}

/**
 * The collection windows from a setting such as `01:00-06:00` or `23:00-01:00,02:00-05:00` (UTC). Empty: none.
 * Overlapping windows are refused: a run would belong to two plans.
 */
export function parseWindows(text: string, setting = 'SCHEDULING_WINDOWS'): CollectionWindow[] {
  const windows = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const [start, end, ...rest] = part.split('-');
      if (start === undefined || end === undefined || rest.length > 0)
        throw new Error(`${setting}: "${part}" is not a window HH:MM-HH:MM`);
      const window = { startS: secondsOf(start, setting), endS: secondsOf(end, setting) };
      if (window.startS === window.endS) throw new Error(`${setting}: "${part}" is empty`);
      return window;
    });
  const probe = Date.UTC(2000, 0, 3);
  for (let s = 0; s < 86_400; s += 60) {
    const holding = windows.filter((w) => spanAt([w], probe + s * 1000) !== undefined);
    if (holding.length > 1) throw new Error(`${setting}: windows overlap at ${s / 60} minutes past midnight`);
  }
  return windows;
}

/** The occurrences of a window that start on the day before, the day of and the day after `nowMs`. */
function occurrences(window: CollectionWindow, nowMs: number): WindowSpan[] {
  const today = Math.floor(nowMs / DAY_MS) * DAY_MS;
  const length = (window.endS - window.startS + 86_400) % 86_400;
  return [today - DAY_MS, today, today + DAY_MS].map((day) => {
    const startMs = day + window.startS * 1000;
    return { startMs, endMs: startMs + length * 1000 };
  });
}

/** The window occurrence `nowMs` falls in, if any. */
export function spanAt(windows: readonly CollectionWindow[], nowMs: number): WindowSpan | undefined {
  for (const window of windows) {
    const span = occurrences(window, nowMs).find((o) => o.startMs <= nowMs && nowMs < o.endMs);
    if (span) return span;
  }
  return undefined;
}

/** The end of the latest window occurrence that ended at or before `nowMs` (0 when none in the last day). */
export function lastEndBefore(windows: readonly CollectionWindow[], nowMs: number): number {
  let last = 0;
  for (const window of windows) {
    for (const o of occurrences(window, nowMs)) if (o.endMs <= nowMs && o.endMs > last) last = o.endMs;
  }
  return last;
}
