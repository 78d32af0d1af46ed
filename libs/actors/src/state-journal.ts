import { headers as createHeaders, type MsgHdrs } from '@nats-io/transport-node';
import { pack, unpack } from 'msgpackr';

/**
 * The wire form of a partition's state journal (journal-state-store.ts): one JetStream subject per partition,
 * each message one operation, its kind in the `Dcc-State-Op` header.
 *
 * - `put`: an actor's new state (body), the actor named by `Dcc-Actor-Id`;
 * - `del`: the actor's state removed;
 * - `mark`: a snapshot of the partition begins; everything before it can go once the snapshot is complete;
 * - `snap`: one chunk of that snapshot, many actors' states each with the sequence of the `put` that wrote it;
 * - `end`: the snapshot is complete (the journal before its mark is then purged).
 */
export type JournalOp = 'put' | 'del' | 'mark' | 'snap' | 'end';

const OP_HEADER = 'Dcc-State-Op';
const ACTOR_HEADER = 'Dcc-Actor-Id';

/** One actor's state in a snapshot chunk: its id, the journal sequence that wrote it, the state. */
export type SnapshotEntry = [actorId: string, seq: number, state: Uint8Array];

/** Chunks stay well under nats-server's default 1 MiB max_payload. */
export const CHUNK_BYTES = 256 * 1024;

export function journalHeaders(op: JournalOp, actorId?: string): MsgHdrs {
  const h = createHeaders();
  h.set(OP_HEADER, op);
  if (actorId !== undefined) h.set(ACTOR_HEADER, actorId);
  return h;
}

export function encodeChunk(entries: readonly SnapshotEntry[]): Uint8Array {
  return pack(entries);
}

function decodeChunk(data: Uint8Array): SnapshotEntry[] {
  return unpack(data) as SnapshotEntry[];
}

/** What one journal message holds, as replay needs it. */
export interface JournalMessage {
  seq: number;
  headers?: MsgHdrs;
  data: Uint8Array;
}

/** An actor's state as replay found it: its value (undefined: removed) and the sequence that decided it. */
export interface ReplayedState {
  seq: number;
  state?: Uint8Array;
}

/**
 * Folds a partition's journal, read in stream order, into the states it leaves. A snapshot chunk can be
 * older than a `put` or `del` journaled before it (the chunk reads the working set, which a write reaches
 * only after its journal message is stored), so every state keeps the sequence that wrote it and an older
 * one never replaces a newer one; removals are remembered with their sequence for the same reason.
 */
export class JournalFold {
  readonly states = new Map<string, ReplayedState>();

  apply(message: JournalMessage): void {
    const op = message.headers?.get(OP_HEADER) as JournalOp | undefined;
    const actorId = message.headers?.get(ACTOR_HEADER) ?? '';
    if (op === 'put') this.offer(actorId, message.seq, message.data);
    else if (op === 'del') this.offer(actorId, message.seq, undefined);
    else if (op === 'snap')
      for (const [id, seq, state] of decodeChunk(message.data)) this.offer(id, seq, state);
    // `mark` and `end` only delimit a snapshot.
  }

  private offer(actorId: string, seq: number, state: Uint8Array | undefined): void {
    const known = this.states.get(actorId);
    if (known && known.seq >= seq) return;
    this.states.set(actorId, state === undefined ? { seq } : { seq, state });
  }
}
