import { DccError } from '@dcc/domain';

/** Latest appointment start a uint32 of seconds can hold (2106-02-07T06:28:15Z). */
const MAX_SECONDS = 2 ** 32 - 1;

/**
 * An appointment's start as whole seconds since the Unix epoch, the resolution the view stores (four bytes
 * per start instead of eight). Registration data is dated in days or whole seconds, so a start with a
 * fraction of a second is refused rather than rounded: rounding would move the boundary a query at exactly
 * the start must see. Queries themselves take any millisecond instant.
 */
export function startSeconds(instantMs: number, field = 'appointment start'): number {
  if (!Number.isFinite(instantMs) || instantMs % 1_000 !== 0) {
    throw DccError.invalidArgument(`${field} ${instantMs} is not a whole second (ms since the epoch)`);
  }
  const seconds = instantMs / 1_000;
  if (seconds < 0 || seconds > MAX_SECONDS) {
    throw DccError.invalidArgument(`${field} ${instantMs} is outside 1970-2106 (ms since the epoch)`);
  }
  return seconds;
}
