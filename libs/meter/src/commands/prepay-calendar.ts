import { prepayCalendarRule } from '@dcc/domain';
import type { JsonValue, MeterState } from '../meter-state.js';
import type { Params } from './params.js';
import type { UpdatePrepayConfigParams } from './types.js';

export const CALENDAR_KEYS = ['fuel', 'electricityCalendar', 'gasCalendar'] as const;
const FUEL_NUMBER = { electricity: 1, gas: 2 } as const;

/** 2.1's fuel and non-disablement calendar, checked by the same rule the hub applies before I99. */
export function parseCalendar(p: Params, out: UpdatePrepayConfigParams): void {
  if (!p.has('fuel') && !p.has('electricityCalendar') && !p.has('gasCalendar')) return;
  const fuel = p.string('fuel', /^(electricity|gas)$/) as 'electricity' | 'gas';
  const problem = prepayCalendarRule({
    fuel: FUEL_NUMBER[fuel],
    electricityCalendar: p.raw('electricityCalendar'),
    gasCalendar: p.raw('gasCalendar'),
  });
  if (problem) throw p.error(problem);
  out.fuel = fuel;
  for (const key of ['electricityCalendar', 'gasCalendar'] as const) {
    if (p.has(key)) out[key] = structuredClone(p.raw(key)) as JsonValue;
  }
}

/**
 * Keeps the calendar as sent: settlement keeps the supply on in its periods (non-disablement.ts), 4.13 reports it.
 */
export function storeCalendar(state: MeterState, params: UpdatePrepayConfigParams): void {
  const calendar = params.electricityCalendar ?? params.gasCalendar;
  if (calendar !== undefined && params.fuel) state.prepay.calendar = { fuel: params.fuel, calendar };
}
