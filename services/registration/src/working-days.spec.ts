import { describe, expect, it } from 'vitest';
import { addWorkingDays, isWorkingDay, parseHolidays } from './working-days.js';

const at = (iso: string) => Date.parse(iso);

describe('working days', () => {
  it('counts Monday to Friday only', () => {
    expect(isWorkingDay(at('2025-06-06T10:00:00Z'))).toBe(true); // Friday
    expect(isWorkingDay(at('2025-06-07T10:00:00Z'))).toBe(false); // Saturday
    expect(addWorkingDays(at('2025-06-04T10:00:00Z'), 5)).toBe(at('2025-06-11T10:00:00Z')); // Wed → Wed
    expect(addWorkingDays(at('2025-06-06T10:00:00Z'), 5)).toBe(at('2025-06-13T10:00:00Z')); // Fri → Fri
    expect(addWorkingDays(at('2025-06-06T10:00:00Z'), 1)).toBe(at('2025-06-09T10:00:00Z')); // Fri → Mon
    expect(addWorkingDays(at('2025-06-04T10:00:00Z'), 0)).toBe(at('2025-06-04T10:00:00Z'));
  });

  it('starts a weekend instant from the next working day', () => {
    expect(addWorkingDays(at('2025-06-07T10:00:00Z'), 5)).toBe(at('2025-06-16T00:00:00Z'));
    expect(addWorkingDays(at('2025-06-08T23:59:00Z'), 0)).toBe(at('2025-06-09T00:00:00Z'));
  });

  it('skips bank holidays', () => {
    const holidays = parseHolidays('2025-12-25, 2025-12-26');
    // Tue 23 Dec + 5 working days, skipping Thu 25 and Fri 26 → Thu 1 Jan
    expect(addWorkingDays(at('2025-12-23T09:00:00Z'), 5, holidays)).toBe(at('2026-01-01T09:00:00Z'));
    expect(() => parseHolidays('25/12/2025')).toThrow(/YYYY-MM-DD/);
  });
});
