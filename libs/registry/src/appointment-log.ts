import { DccError, GrpcStatus } from '@dcc/domain';

/** Largest number of entries: entry numbers are stored in Int32Array chains. */
const MAX_ENTRIES = 2 ** 31 - 1;

/**
 * The append-only history of superseded appointments, 11 bytes an entry. Each entry records one earlier
 * holding (role, party, start) and links to the point's previous entry, so a point's history is a chain
 * newest → oldest that starts at the view's per-point head. Only points whose appointments changed have
 * entries, which is why the view keeps current holders in columns and the past here.
 *
 * Unlike the point columns, the log grows (doubling): a full log must not stop registration changes, and at
 * a few changes per point per year its size is unknowable at start-up.
 */
export class AppointmentLog {
  private roles: Uint8Array;
  private parties: Uint16Array;
  private starts: Uint32Array;
  private links: Int32Array;
  private count = 0;

  constructor(initialCapacity = 1024) {
    const capacity = Math.max(16, initialCapacity);
    this.roles = new Uint8Array(capacity);
    this.parties = new Uint16Array(capacity);
    this.starts = new Uint32Array(capacity);
    this.links = new Int32Array(capacity);
  }

  /** Appends an entry and returns its number. `previous` is the point's earlier head, or -1. */
  append(role: number, party: number, startSeconds: number, previous: number): number {
    if (this.count === this.roles.length) this.grow();
    const entry = this.count++;
    this.roles[entry] = role;
    this.parties[entry] = party;
    this.starts[entry] = startSeconds;
    this.links[entry] = previous;
    return entry;
  }

  role(entry: number): number {
    return this.roles[entry]!;
  }

  party(entry: number): number {
    return this.parties[entry]!;
  }

  startSeconds(entry: number): number {
    return this.starts[entry]!;
  }

  /** The point's entry before this one, or -1. */
  previous(entry: number): number {
    return this.links[entry]!;
  }

  get length(): number {
    return this.count;
  }

  get byteLength(): number {
    return this.roles.byteLength + this.parties.byteLength + this.starts.byteLength + this.links.byteLength;
  }

  private grow(): void {
    if (this.count >= MAX_ENTRIES) {
      throw new DccError(GrpcStatus.RESOURCE_EXHAUSTED, `the appointment history is full (${MAX_ENTRIES})`);
    }
    const capacity = Math.min(MAX_ENTRIES, this.count * 2);
    this.roles = copyInto(new Uint8Array(capacity), this.roles);
    this.parties = copyInto(new Uint16Array(capacity), this.parties);
    this.starts = copyInto(new Uint32Array(capacity), this.starts);
    this.links = copyInto(new Int32Array(capacity), this.links);
  }
}

function copyInto<T extends Uint8Array | Uint16Array | Uint32Array | Int32Array>(target: T, source: T): T {
  target.set(source);
  return target;
}
