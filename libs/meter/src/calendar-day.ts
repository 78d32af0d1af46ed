/** A UTC day as DUIS dates name it: the parts a wildcard date is matched against. */
export interface CalendarDay {
  year: number;
  month: number;
  dayOfMonth: number;
  /** 1 Monday .. 7 Sunday. */
  dayOfWeek: number;
}

/** The UTC day of an instant. */
export function calendarDay(ms: number): CalendarDay {
  const d = new Date(ms);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    dayOfMonth: d.getUTCDate(),
    dayOfWeek: ((d.getUTCDay() + 6) % 7) + 1,
  };
}

/** A DUIS date with wildcards as the model holds it: an absent (or null) part matches any day. */
export type WildcardParts = Partial<Record<keyof CalendarDay, unknown>>;

/** Whether a DUIS date with wildcards names this day (each part given must match). */
export function namesDay(date: WildcardParts | undefined, day: CalendarDay): boolean {
  const parts = date ?? {};
  return (['year', 'month', 'dayOfMonth', 'dayOfWeek'] as const).every(
    (part) => parts[part] === undefined || parts[part] === null || parts[part] === day[part],
  );
}
