import { DccError, GrpcStatus, type Eui64 } from '@dcc/domain';
import type { DeviceStatus } from './codes.js';
import { eui64FromWords } from './eui64-words.js';
import { U64Index } from './u64-index.js';

/**
 * Each point's smart meter (ESME or GSME): its EUI-64 as two uint32 words, its SMI status in a byte, and the
 * index from id to point. (0, 0) means the point has no smart device (a dumb meter), which is never indexed:
 * 0 is not a valid device EUI-64.
 */
export class DeviceColumn {
  private readonly words: Uint32Array;
  private readonly statuses: Uint8Array;
  private readonly index: U64Index;

  constructor(capacity: number) {
    this.words = new Uint32Array(capacity * 2);
    this.statuses = new Uint8Array(capacity);
    this.index = new U64Index(this.words, capacity);
  }

  /** The point whose device is (high, low), or -1. */
  find(high: number, low: number): number {
    return high === 0 && low === 0 ? -1 : this.index.find(high, low);
  }

  /** ALREADY_EXISTS when another point has this device. Call before {@link set}. */
  checkFree(high: number, low: number): void {
    if (high >>> 0 !== high || low >>> 0 !== low) {
      throw DccError.invalidArgument(`device id words (${high}, ${low}) are not two uint32`);
    }
    if (this.find(high, low) >= 0) {
      throw new DccError(
        GrpcStatus.ALREADY_EXISTS,
        `device ${eui64FromWords(high, low)} is already in the view`,
      );
    }
  }

  /** Gives `point` the device (high, low), unindexing the one it had. The new id must be free. */
  set(point: number, high: number, low: number, status: DeviceStatus): void {
    const at = point * 2;
    if (this.words[at] !== 0 || this.words[at + 1] !== 0) this.index.remove(point);
    this.words[at] = high;
    this.words[at + 1] = low;
    if (high !== 0 || low !== 0) this.index.insert(point);
    this.statuses[point] = status;
  }

  isDevice(point: number, high: number, low: number): boolean {
    return this.words[point * 2] === high && this.words[point * 2 + 1] === low;
  }

  idOf(point: number): Eui64 | undefined {
    const [high, low] = [this.words[point * 2]!, this.words[point * 2 + 1]!];
    return high === 0 && low === 0 ? undefined : eui64FromWords(high, low);
  }

  status(point: number): DeviceStatus {
    return this.statuses[point] as DeviceStatus;
  }

  setStatus(point: number, status: DeviceStatus): void {
    this.statuses[point] = status;
  }

  columnBytes(): Record<string, number> {
    return {
      deviceId: this.words.byteLength,
      deviceStatus: this.statuses.byteLength,
      deviceIndex: this.index.byteLength,
    };
  }
}
