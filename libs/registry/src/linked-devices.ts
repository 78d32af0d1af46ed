import { DccError, GrpcStatus, type Eui64 } from '@dcc/domain';
import { DeviceStatus, DeviceType, MeterKind } from './codes.js';
import { eui64FromWords } from './eui64-words.js';
import { U64Index } from './u64-index.js';

/** No point, no comms hub: the "none" value of the link columns. */
export const NO_LINK = -1;

/** What {@link LinkedDevices.put} records about a device. */
export interface LinkedDeviceInput {
  type: DeviceType;
  /** SMETS1 or SMETS2. */
  generation: MeterKind;
  status: DeviceStatus;
  /** The meter points the device is joined to, at most two (a dual-fuel premises); none when not installed. */
  points: readonly number[];
  /** Row of the comms hub (CHF) it is paired with, NO_LINK when none (and always for a CHF). */
  hub: number;
}

/**
 * Every inventory device that is not a meter point's installed meter: comms hubs (CHF), gas proxy functions
 * (GPF), PPMIDs, HCALCS, IHDs, and meters known to the inventory but not installed at a point (pre-notified).
 * A row costs 22 bytes (id 8, type and generation 1, status 1, two point links 8, comms hub link 4) plus about
 * 5-11 bytes of index; the columns grow by doubling, since devices arrive and leave over the estate's life.
 * Freed rows are reused, so exchanges do not grow the table.
 */
export class LinkedDevices {
  private words: Uint32Array;
  /** Low nibble: DeviceType; high nibble: generation (MeterKind). 0xff marks a free row. */
  private kinds: Uint8Array;
  private statuses: Uint8Array;
  /** Two point links per row (NO_LINK when unused). */
  private points: Int32Array;
  private hubs: Int32Array;
  private index: U64Index;
  private rows = 0;
  private live = 0;
  private readonly free: number[] = [];

  constructor(initialCapacity = 1024) {
    const capacity = Math.max(16, initialCapacity);
    this.words = new Uint32Array(capacity * 2);
    this.kinds = new Uint8Array(capacity).fill(FREE);
    this.statuses = new Uint8Array(capacity);
    this.points = new Int32Array(capacity * 2).fill(NO_LINK);
    this.hubs = new Int32Array(capacity).fill(NO_LINK);
    this.index = new U64Index(this.words, capacity);
  }

  get size(): number {
    return this.live;
  }

  /** The row of device (high, low), or -1. */
  find(high: number, low: number): number {
    return high === 0 && low === 0 ? -1 : this.index.find(high, low);
  }

  /** Records the device (high, low): a new row, or its existing row updated. Returns the row. */
  put(high: number, low: number, input: LinkedDeviceInput): number {
    if (high >>> 0 !== high || low >>> 0 !== low || (high === 0 && low === 0)) {
      throw DccError.invalidArgument(`device id words (${high}, ${low}) are not a device EUI-64`);
    }
    if (input.points.length > 2) throw DccError.invalidArgument('a device joins at most two meter points');
    let row = this.find(high, low);
    if (row < 0) {
      row = this.allocate();
      this.words[row * 2] = high;
      this.words[row * 2 + 1] = low;
      this.index.insert(row);
      this.live++;
    }
    this.kinds[row] = input.type | (input.generation << 4);
    this.statuses[row] = input.status;
    this.points[row * 2] = input.points[0] ?? NO_LINK;
    this.points[row * 2 + 1] = input.points[1] ?? NO_LINK;
    this.hubs[row] = input.hub;
    return row;
  }

  /** Forgets the device (it became a point's installed meter, say); its row is reused. */
  remove(row: number): void {
    if (!this.isLive(row)) return;
    this.index.remove(row);
    this.words[row * 2] = this.words[row * 2 + 1] = 0;
    this.kinds[row] = FREE;
    this.points[row * 2] = this.points[row * 2 + 1] = NO_LINK;
    this.hubs[row] = NO_LINK;
    this.free.push(row);
    this.live--;
  }

  isLive(row: number): boolean {
    return row >= 0 && row < this.rows && this.kinds[row] !== FREE;
  }

  idOf(row: number): Eui64 {
    return eui64FromWords(this.words[row * 2]!, this.words[row * 2 + 1]!);
  }

  type(row: number): DeviceType {
    return (this.kinds[row]! & 0xf) as DeviceType;
  }

  generation(row: number): MeterKind {
    return (this.kinds[row]! >>> 4) as MeterKind;
  }

  status(row: number): DeviceStatus {
    return this.statuses[row] as DeviceStatus;
  }

  setStatus(row: number, status: DeviceStatus): void {
    this.statuses[row] = status;
  }

  /** The device's `n`th (0 or 1) meter point, or NO_LINK. */
  point(row: number, n: 0 | 1): number {
    return this.points[row * 2 + n]!;
  }

  hub(row: number): number {
    return this.hubs[row]!;
  }

  columnBytes(): Record<string, number> {
    return {
      linkedDeviceId: this.words.byteLength,
      linkedDeviceKind: this.kinds.byteLength,
      linkedDeviceStatus: this.statuses.byteLength,
      linkedDevicePoints: this.points.byteLength,
      linkedDeviceHub: this.hubs.byteLength,
      linkedDeviceIndex: this.index.byteLength,
    };
  }

  private allocate(): number {
    const reused = this.free.pop();
    if (reused !== undefined) return reused;
    if (this.rows === this.kinds.length) this.grow();
    return this.rows++;
  }

  /** Doubles every column and re-indexes (rows keep their numbers, so links stay valid). */
  private grow(): void {
    const capacity = this.kinds.length * 2;
    if (capacity > 2 ** 30) throw new DccError(GrpcStatus.RESOURCE_EXHAUSTED, 'the device table is full');
    const words = new Uint32Array(capacity * 2);
    words.set(this.words);
    const kinds = new Uint8Array(capacity).fill(FREE);
    kinds.set(this.kinds);
    const statuses = new Uint8Array(capacity);
    statuses.set(this.statuses);
    const points = new Int32Array(capacity * 2).fill(NO_LINK);
    points.set(this.points);
    const hubs = new Int32Array(capacity).fill(NO_LINK);
    hubs.set(this.hubs);
    Object.assign(this, { words, kinds, statuses, points, hubs });
    this.index = new U64Index(words, capacity);
    for (let row = 0; row < this.rows; row++) if (kinds[row] !== FREE) this.index.insert(row);
  }
}

const FREE = 0xff;
