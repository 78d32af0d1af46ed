import { DccError, GrpcStatus } from '@dcc/domain';
import { keyFromWords, keyHigh, keyLow, mpxnFromKey, mpxnKey } from './mpxn-key.js';
import { U64Index } from './u64-index.js';

/** Each point's MPAN core or MPRN as a numeric key in two uint32 words (mpxn-key.ts), and the index on it. */
export class MpxnColumn {
  private readonly words: Uint32Array;
  private readonly index: U64Index;

  constructor(capacity: number) {
    this.words = new Uint32Array(capacity * 2);
    this.index = new U64Index(this.words, capacity);
  }

  /** The point with this MPxN, or -1 (also for text that is not 1-13 digits). */
  find(mpxn: string): number {
    const key = mpxnKey(mpxn);
    return key < 0 ? -1 : this.index.find(keyHigh(key), keyLow(key));
  }

  /** Records a new point's MPxN (already format-checked); ALREADY_EXISTS when another point has it. */
  add(point: number, mpxn: string): void {
    if (this.find(mpxn) >= 0) {
      throw new DccError(GrpcStatus.ALREADY_EXISTS, `meter point ${mpxn} is already in the view`);
    }
    const key = mpxnKey(mpxn);
    this.words[point * 2] = keyHigh(key);
    this.words[point * 2 + 1] = keyLow(key);
    this.index.insert(point);
  }

  mpxnOf(point: number): string {
    return mpxnFromKey(keyFromWords(this.words[point * 2]!, this.words[point * 2 + 1]!));
  }

  columnBytes(): Record<string, number> {
    return { mpxn: this.words.byteLength, mpxnIndex: this.index.byteLength };
  }
}
