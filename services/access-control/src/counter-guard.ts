import { DccError, GrpcStatus, type RequestId } from '@dcc/domain';
import { LRUCache } from 'lru-cache';
import { CounterFloors } from './counter-floors.js';
import type { CounterMarkStore, StoredMark } from './counter-marks.js';

/** What the guard knows of a pair: its mark, or that the durable store has none (revision 0). */
type Known = StoredMark;
const NONE: Known = { counter: -1n, revision: 0 };

/** How long a pair's own mark is kept after its last request, by default; the originator's floor after it. */
export const DEFAULT_MARK_WINDOW_MS = 15 * 60 * 1000;

/**
 * The hub's check that RequestID counters strictly increase per originator and target. A counter at or below
 * the highest accepted for its pair is a replay or stale and is refused before anything is stored. A pair's mark
 * is kept for a window after its last request; a pair with none must exceed the originator's floor, its highest
 * counter accepted before the window, of its decimal length (counter-floors.ts), as DUIS has an originator's
 * counters increase.
 *
 * With a durable store (counter-marks.ts) the marks survive restarts of access control and nats-server: the
 * bounded in-memory map is a cache in front of it, so the check costs a map lookup for a pair seen recently and
 * one KV read otherwise; recording an accepted request costs one KV write and a share of one floor write. Without
 * one (unit tests) the marks live only in memory. Either way the meter keeps its own high-water marks
 * (libs/meter request-counters.ts) and refuses, with an answer, what the hub has forgotten.
 */
export class CounterGuard {
  /**
   * Recency order with constant-time eviction: the least recently used pair goes when the cache is full. (A Map
   * re-inserted on use and trimmed through a fresh `keys()` iterator is not constant-time: every deleted slot
   * stays in V8's table until it is rehashed, and each new iterator walks past all of them.)
   */
  private readonly known: LRUCache<string, Known>;
  private readonly floors: CounterFloors;

  constructor(
    capacity = 200_000,
    private readonly store?: CounterMarkStore,
    /** A mark that could not be stored: the request is stored already, so its acknowledgement stands. */
    private readonly onStoreFailure: (error: unknown) => void = () => undefined,
    floors?: CounterFloors,
  ) {
    this.known = new LRUCache<string, Known>({ max: capacity });
    this.floors = floors ?? new CounterFloors(DEFAULT_MARK_WINDOW_MS);
  }

  /** Rejects with ALREADY_EXISTS when the counter is not above the highest accepted for its pair. */
  async check(id: RequestId): Promise<void> {
    const key = pairOf(id);
    let mark = this.known.get(key);
    if (mark === undefined && this.store) {
      // No answer from the store: the request cannot be checked, so it is not taken (resend it).
      const stored = await this.store.read(key).catch((error: unknown) => {
        throw DccError.unavailable(`replay check unavailable: ${(error as Error).message}`);
      });
      mark = stored ?? NONE;
      this.remember(key, mark);
    }
    if (mark !== undefined && mark !== NONE) {
      if (id.counter <= mark.counter) throw refusal(id, mark.counter, 'the highest already accepted');
      return;
    }
    const floor = await this.floors.floor(sequenceOf(id)).catch((error: unknown) => {
      throw DccError.unavailable(`replay check unavailable: ${(error as Error).message}`);
    });
    if (id.counter <= floor) {
      const minutes = Math.round(this.floors.windowMs / 60_000);
      throw refusal(id, floor, `the highest of its length accepted from it over ${minutes} minutes ago`);
    }
  }

  /**
   * Records an accepted (stored) request; with a durable store, resolves once the mark is stored, or failed to
   * be (then the in-memory mark still refuses replays until a restart, and the meter's after it).
   */
  async record(id: RequestId): Promise<void> {
    const key = pairOf(id);
    const last = this.known.get(key);
    if (last !== undefined && last.counter >= id.counter) return;
    const next = { counter: id.counter, revision: last?.revision ?? 0 };
    this.remember(key, next);
    const covered = this.floors.cover(sequenceOf(id), id.counter);
    if (!this.store) return covered;
    let stored: StoredMark;
    try {
      [stored] = await Promise.all([
        this.store.advance(key, id.counter, last && last.revision > 0 ? last : undefined),
        covered,
      ]);
    } catch (error) {
      this.onStoreFailure(error);
      return;
    }
    const now = this.known.get(key);
    if (!now || now.counter <= stored.counter) this.remember(key, stored);
  }

  get size(): number {
    return this.known.size;
  }

  private remember(key: string, mark: Known): void {
    this.known.set(key, mark); // marks it most recently used; evicts the least recently used beyond capacity
  }
}

function refusal(id: RequestId, mark: bigint, what: string): DccError {
  return new DccError(
    GrpcStatus.ALREADY_EXISTS,
    `RequestID counter ${id.counter} from ${id.originator} to ${id.target} is not above ${mark}, ${what}: a ` +
      'replayed or stale request',
  );
}

/**
 * The counter sequence a floor is kept for: the originator's counters of the same decimal length. A User's systems
 * numbering on different scales (milliseconds, microseconds, a running count) are told apart, while a replay is
 * always in the sequence of its first acceptance.
 */
function sequenceOf(id: RequestId): string {
  return `${id.originator}.${id.counter.toString().length}`;
}

/** The KV key of a pair: both EUI-64s are valid key tokens. */
function pairOf(id: RequestId): string {
  return `${id.originator}.${id.target}`;
}
