import { Coalescer } from './coalescer.js';

/**
 * A counter sequence's accepted RequestID counters by age: the highest accepted in each recent epoch (ascending), and
 * `base`, at least every counter accepted before those epochs.
 */
export interface FloorRecord {
  base: bigint;
  epochs: readonly (readonly [epoch: number, counter: bigint])[];
}

/** A record and the revision it was read or written at (0: none stored). */
export interface StoredFloors {
  record: FloorRecord;
  revision: number;
}

/** Where the sequences' records outlive the process (one small record per User ID and counter length). */
export interface FloorStore {
  read(sequence: string): Promise<StoredFloors | undefined>;
  /** Writes `record` if the stored one is still at `revision`; the new revision, or undefined when it moved on. */
  write(sequence: string, record: FloorRecord, revision: number): Promise<number | undefined>;
}

const EMPTY: FloorRecord = { base: -1n, epochs: [] };
/** Epochs per window: a record is re-read and a counter's epoch is placed to a fifteenth of the window. */
export const EPOCHS_PER_WINDOW = 15;

/** The highest counter the record holds for epochs up to `limit`. */
export function floorAt(record: FloorRecord, limit: number): bigint {
  let floor = record.base;
  for (const [epoch, counter] of record.epochs) if (epoch <= limit && counter > floor) floor = counter;
  return floor;
}

/**
 * The record once `counter` is accepted in `epoch`, or the same record when it already holds as much for that
 * epoch or an earlier one. Epochs before `keepFrom` fold into the base (no floor asked later separates them).
 */
export function raised(record: FloorRecord, epoch: number, counter: bigint, keepFrom: number): FloorRecord {
  if (floorAt(record, epoch) >= counter) return record;
  let base = record.base;
  const epochs = new Map<number, bigint>();
  for (const [e, c] of record.epochs) {
    if (e < keepFrom) base = c > base ? c : base;
    else epochs.set(e, c);
  }
  const held = epochs.get(epoch);
  epochs.set(epoch, held !== undefined && held > counter ? held : counter);
  return { base, epochs: [...epochs].sort(([a], [b]) => a - b) };
}

export function encodeFloors(record: FloorRecord): string {
  return `${record.base}|${record.epochs.map(([e, c]) => `${e}:${c}`).join(',')}`;
}

export function decodeFloors(text: string): FloorRecord {
  const [base = '-1', epochs = ''] = text.split('|');
  return {
    base: BigInt(base),
    epochs: epochs
      ? epochs.split(',').map((pair) => {
          const [e = '0', c = '0'] = pair.split(':');
          return [Number(e), BigInt(c)] as const;
        })
      : [],
  };
}

interface Known extends StoredFloors {
  readAtMs: number;
}

interface Raise {
  epoch: number;
  counter: bigint;
}

/**
 * The replay check's answer for a pair it holds no mark for. DUIS has an originator's counters strictly increase
 * (DCC-REFERENCE §1.4); the hub keeps each pair's exact mark only for a window (the KV bucket's TTL, so
 * nats-server holds no per-pair state for the whole estate), and each sequence's highest accepted counter per
 * epoch of a fifteenth of that window, durably, for ever. A sequence is an originator's counters of one decimal
 * length (counter-guard.ts), so systems numbering for one User ID on different scales do not hold each other back.
 * A pair without a mark has had none for a window, so its last accepted counter is at most the sequence's highest
 * accepted before the window began: its floor (a replay is always refused: its counter was accepted, so it is in
 * its sequence's record). A fresh request is refused by it only if a counter its User made later was accepted more
 * than the window less one epoch before it arrived, so a User's requests may arrive out of counter order by that
 * much. Each accepted counter is covered before its request is acknowledged (writes of one sequence coalesce: one
 * on the way, the next carrying all that queued meanwhile); another instance's record is re-read once an epoch it
 * needs has ended.
 */
export class CounterFloors {
  private readonly known = new Map<string, Known>();
  private readonly writers = new Map<string, Coalescer<Raise, void>>();
  private readonly epochMs: number;

  constructor(
    readonly windowMs: number,
    private readonly store?: FloorStore,
    private readonly clock: () => number = Date.now,
  ) {
    this.epochMs = windowMs / EPOCHS_PER_WINDOW;
  }

  /** The counter a request of `sequence` to a target it has no mark for must exceed. */
  async floor(sequence: string): Promise<bigint> {
    const now = this.clock();
    const limit = this.epochOf(now - this.windowMs);
    let known = this.known.get(sequence);
    // Entries up to `limit` were written by the end of the epoch after it: a view read before then is re-read.
    if (this.store && (!known || known.readAtMs < (limit + 2) * this.epochMs))
      known = await this.read(sequence);
    return known ? floorAt(known.record, limit) : EMPTY.base;
  }

  /** Resolves once the sequence's record covers `counter`, accepted now (stored, with a store). */
  cover(sequence: string, counter: bigint): Promise<void> {
    const epoch = this.epochOf(this.clock());
    const known = this.known.get(sequence);
    if (known && floorAt(known.record, epoch) >= counter) return Promise.resolve();
    if (!this.store) {
      const record = raised(known?.record ?? EMPTY, epoch, counter, this.keepFrom(epoch));
      this.known.set(sequence, { record, revision: 0, readAtMs: this.clock() });
      return Promise.resolve();
    }
    let writer = this.writers.get(sequence);
    if (!writer) {
      writer = new Coalescer((raises) => this.write(sequence, raises), 1, Number.MAX_SAFE_INTEGER);
      this.writers.set(sequence, writer);
    }
    return writer.ask({ epoch, counter });
  }

  private async write(sequence: string, raises: Raise[]): Promise<void[]> {
    const store = this.store!;
    let known = this.known.get(sequence) ?? (await this.read(sequence));
    for (;;) {
      let record = known.record;
      for (const { epoch, counter } of raises) record = raised(record, epoch, counter, this.keepFrom(epoch));
      if (record === known.record) return raises.map(() => undefined);
      const readAtMs = this.clock();
      const revision = await store.write(sequence, record, known.revision);
      if (revision !== undefined) {
        this.known.set(sequence, { record, revision, readAtMs });
        return raises.map(() => undefined);
      }
      known = await this.read(sequence); // another instance wrote it: raise what is stored now
    }
  }

  private async read(sequence: string): Promise<Known> {
    const readAtMs = this.clock();
    const stored = (await this.store!.read(sequence)) ?? { record: EMPTY, revision: 0 };
    const known = { ...stored, readAtMs };
    this.known.set(sequence, known);
    return known;
  }

  private epochOf(ms: number): number {
    return Math.floor(ms / this.epochMs);
  }

  /** Epochs older than any floor asked from now on can use (with a margin for other instances' clocks). */
  private keepFrom(epoch: number): number {
    return epoch - EPOCHS_PER_WINDOW - 3;
  }
}
