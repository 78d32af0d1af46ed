import { DccError, GrpcStatus, type RequestId } from '@dcc/domain';

/**
 * The hub's fast check that RequestID counters strictly increase per originator and target: the highest counter
 * accepted for each pair, for the most recently used pairs (a bounded map, oldest evicted). A counter at or
 * below it is a replay or stale and is refused before anything is stored. The meter keeps the authoritative
 * high-water marks (libs/meter request-counters.ts) and refuses what this cache has forgotten.
 */
export class CounterGuard {
  private readonly highest = new Map<string, bigint>();

  constructor(private readonly capacity = 200_000) {}

  /** Throws ALREADY_EXISTS when the counter is not above the highest accepted for its pair. */
  check(id: RequestId): void {
    const last = this.highest.get(`${id.originator}:${id.target}`);
    if (last !== undefined && id.counter <= last) {
      throw new DccError(
        GrpcStatus.ALREADY_EXISTS,
        `RequestID counter ${id.counter} from ${id.originator} to ${id.target} is not above ${last}, the highest ` +
          'already accepted: a replayed or stale request',
      );
    }
  }

  /** Records an accepted (stored) request. */
  record(id: RequestId): void {
    const key = `${id.originator}:${id.target}`;
    const last = this.highest.get(key);
    if (last !== undefined && last >= id.counter) return;
    this.highest.delete(key); // re-insert: Map order is recency order
    this.highest.set(key, id.counter);
    if (this.highest.size > this.capacity) this.highest.delete(this.highest.keys().next().value!);
  }

  get size(): number {
    return this.highest.size;
  }
}
