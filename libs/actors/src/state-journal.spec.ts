import { describe, expect, it } from 'vitest';
import { encodeChunk, JournalFold, journalHeaders, type JournalOp } from './state-journal.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (state: Uint8Array | undefined) => (state ? new TextDecoder().decode(state) : undefined);

function message(seq: number, op: JournalOp, data: Uint8Array = new Uint8Array(0), actorId?: string) {
  return { seq, headers: journalHeaders(op, actorId), data };
}

describe('JournalFold', () => {
  it('keeps the last put of each actor, and forgets a deleted one', () => {
    const fold = new JournalFold();
    fold.apply(message(1, 'put', bytes('a1'), 'a'));
    fold.apply(message(2, 'put', bytes('b1'), 'b'));
    fold.apply(message(3, 'put', bytes('a2'), 'a'));
    fold.apply(message(4, 'del', undefined, 'b'));
    expect(text(fold.states.get('a')?.state)).toBe('a2');
    expect(fold.states.get('b')).toEqual({ seq: 4 });
  });

  it('never lets a snapshot chunk older than a put or a delete undo it', () => {
    const fold = new JournalFold();
    fold.apply(message(10, 'mark'));
    // Journaled after the mark but before the chunk that was read from the working set without them.
    fold.apply(message(11, 'put', bytes('a-new'), 'a'));
    fold.apply(message(12, 'del', undefined, 'b'));
    fold.apply(
      message(
        13,
        'snap',
        encodeChunk([
          ['a', 5, bytes('a-old')],
          ['b', 6, bytes('b-old')],
          ['c', 7, bytes('c')],
        ]),
      ),
    );
    fold.apply(message(14, 'end'));
    expect(text(fold.states.get('a')?.state)).toBe('a-new');
    expect(fold.states.get('b')?.state).toBeUndefined();
    expect(text(fold.states.get('c')?.state)).toBe('c');
  });

  it('reads an interrupted snapshot over the journal it did not purge without changing a state', () => {
    const fold = new JournalFold();
    fold.apply(message(1, 'put', bytes('a1'), 'a'));
    fold.apply(message(2, 'put', bytes('b1'), 'b'));
    fold.apply(message(3, 'mark'));
    fold.apply(message(4, 'snap', encodeChunk([['a', 1, bytes('a1')]])));
    // No `end`: the owner stopped; a later put follows.
    fold.apply(message(5, 'put', bytes('b2'), 'b'));
    expect(text(fold.states.get('a')?.state)).toBe('a1');
    expect(text(fold.states.get('b')?.state)).toBe('b2');
  });
});
