import { DccError } from '@dcc/domain';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Bank holidays as UTC dates (YYYY-MM-DD); an empty set counts Monday to Friday only. */
export type Holidays = ReadonlySet<string>;

/** Monday to Friday (UTC) and not a bank holiday. */
export function isWorkingDay(instantMs: number, holidays: Holidays = new Set()): boolean {
  const date = new Date(instantMs);
  const day = date.getUTCDay();
  return day !== 0 && day !== 6 && !holidays.has(date.toISOString().slice(0, 10));
}

/**
 * The instant `days` working days after `instantMs`, at the same time of day. An instant on a non-working day
 * counts from the start (00:00 UTC) of the next working day, so a Saturday request's window ends at 00:00 of
 * the fifth working day after the following Monday.
 */
export function addWorkingDays(instantMs: number, days: number, holidays: Holidays = new Set()): number {
  if (!Number.isInteger(days) || days < 0) throw DccError.invalidArgument(`${days} is not a day count`);
  let at = instantMs;
  if (!isWorkingDay(at, holidays)) {
    at = Math.floor(at / DAY_MS) * DAY_MS;
    do at += DAY_MS;
    while (!isWorkingDay(at, holidays));
  }
  for (let counted = 0; counted < days;) {
    at += DAY_MS;
    if (isWorkingDay(at, holidays)) counted++;
  }
  return at;
}

/** BANK_HOLIDAYS ("2025-12-25,2025-12-26") as a set; INVALID_ARGUMENT naming a malformed date. */
export function parseHolidays(text: string): Set<string> {
  const result = new Set<string>();
  for (const part of text.split(',').map((s) => s.trim())) {
    if (part === '') continue;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(part) || Number.isNaN(Date.parse(`${part}T00:00:00Z`))) {
      throw DccError.invalidArgument(`bank holiday "${part}" is not a YYYY-MM-DD date`);
    }
    result.add(part);
  }
  return result;
}
