import { DccError, GrpcStatus, type RequestId } from '@dcc/domain';
import type { MeterState } from './meter-state.js';

/**
 * Originators whose high-water marks a meter keeps. GBCS devices keep one counter per remote party they trust
 * (supplier, network operator, access control broker, ...), a handful. The least recently advanced mark is
 * forgotten beyond this; replays from that originator are then left to the hub's own RequestID check.
 */
export const MAX_ORIGINATORS = 8;

/** The high-water mark the meter holds for an originator, or undefined. */
export function counterMark(state: MeterState, originator: string): bigint | undefined {
  return state.requestCounters.find(([id]) => id === originator)?.[1];
}

/**
 * Refuses a replay (ALREADY_EXISTS): a RequestID whose counter is not above the last one this meter accepted
 * from the same originator. Does not change the state; advanceCounter does, once the command is accepted.
 */
export function checkCounter(state: MeterState, requestId: RequestId): void {
  const mark = counterMark(state, requestId.originator);
  if (mark !== undefined && requestId.counter <= mark) {
    throw new DccError(
      GrpcStatus.ALREADY_EXISTS,
      `RequestID counter ${requestId.counter} from ${requestId.originator} is not above ${mark}, the last one this device accepted: a replay`,
    );
  }
}

export function advanceCounter(state: MeterState, requestId: RequestId): void {
  const counters = state.requestCounters.filter(([id]) => id !== requestId.originator);
  counters.push([requestId.originator, requestId.counter]);
  if (counters.length > MAX_ORIGINATORS) counters.shift();
  state.requestCounters = counters;
}

/**
 * A remote party's counter floor (GBCS FloorSeqNumber, set with its new credentials): its later commands must
 * carry counters above it. A floor below the mark already held leaves the mark (a floor never reopens replays).
 * Returns the mark now in force.
 */
export function raiseCounterFloor(state: MeterState, originator: string, floor: bigint): bigint {
  const mark = counterMark(state, originator);
  if (mark !== undefined && mark >= floor) return mark;
  const counters = state.requestCounters.filter(([id]) => id !== originator);
  counters.push([originator, floor]);
  if (counters.length > MAX_ORIGINATORS) counters.shift();
  state.requestCounters = counters;
  return floor;
}
