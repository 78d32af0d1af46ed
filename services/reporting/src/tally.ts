import type { CalendarMonth, CodePerformanceMeasure } from '@dcc/domain';

/**
 * What the reporting service counts, as pure data: facts read from the hub's durable streams, summed into blocks
 * that remember which stream messages they hold, so a message delivered again is never counted twice.
 */

/** The stream a fact was read from: its sequence numbers are the facts' identities. */
export type FactSource = 'responses' | 'accounting';

/** A decision on one Service Request: a refusal (ACCOUNTING) or an acceptance (stated by its answer, RESPONSES). */
export interface DecisionFact {
  kind: 'decision';
  seq: number;
  month: CalendarMonth;
  user: string;
  srv: string;
  /** I99 or I0: accepted; anything else: the refusal's code. */
  outcome: string;
}

/** One Service Response stored on a User's Responses stream (RESPONSES). */
export interface ResponseFact {
  kind: 'response';
  seq: number;
  month: CalendarMonth;
  user: string;
  srv: string;
  measure: CodePerformanceMeasure;
  withinTrt: boolean;
}

export type Fact = DecisionFact | ResponseFact;

/** [responses, within TRT] */
export type TrtCount = [number, number];

/** The counts of one User and SRV in one month. */
export interface Row {
  accepted: number;
  /** Refusals per response code (or "grpc-<status>"). */
  refused: Record<string, number>;
  delivered: number;
  /** Per Code Performance Measure ("1", "2"). */
  trt: Record<string, TrtCount>;
}

/** Rows by User, then SRV. */
export type Rows = Record<string, Record<string, Row>>;

/**
 * The counts of the facts of one month read from one run of BLOCK_SIZE stream sequences, with a bitmap of the
 * sequences they came from (bit `seq % BLOCK_SIZE`). Stored as one KV entry (tally-store.ts) and replaced by
 * compare-and-set, so counts and "already counted" change together.
 */
export interface Block {
  /** Base64 of the BLOCK_SIZE-bit bitmap. */
  seen: string;
  rows: Rows;
}

/** 4096 sequences: a 512-byte bitmap per entry, and one entry per 4096 messages a month at most. */
export const BLOCK_SIZE = 4096;

/**
 * The KV key of the block a fact belongs to: `<month>.<source>.<kind>.<block number>`. The kind is in the key
 * because one response states two facts (its delivery and its request's acceptance) under one sequence.
 */
export function blockKey(source: FactSource, fact: Fact): string {
  return `${fact.month}.${source}.${fact.kind}.${Math.floor(fact.seq / BLOCK_SIZE)}`;
}

export function emptyRow(): Row {
  return { accepted: 0, refused: {}, delivered: 0, trt: {} };
}

const ACCEPTED = new Set(['I99', 'I0']);

/**
 * Adds to a block the facts it does not hold yet (all of one block key). Returns the new block and how many
 * facts were new; 0 means the block is unchanged (every fact was counted before).
 */
export function applyFacts(
  block: Block | undefined,
  facts: readonly Fact[],
): { block: Block; added: number } {
  const seen = block ? Buffer.from(block.seen, 'base64') : Buffer.alloc(BLOCK_SIZE / 8);
  const rows: Rows = structuredClone(block?.rows ?? {});
  let added = 0;
  for (const fact of facts) {
    const bit = fact.seq % BLOCK_SIZE;
    const mask = 1 << (bit % 8);
    if ((seen[bit >> 3]! & mask) !== 0) continue;
    seen[bit >> 3] = seen[bit >> 3]! | mask;
    added++;
    const byUser = (rows[fact.user] ??= {});
    const row = (byUser[fact.srv] ??= emptyRow());
    if (fact.kind === 'decision') {
      if (ACCEPTED.has(fact.outcome)) row.accepted++;
      else row.refused[fact.outcome] = (row.refused[fact.outcome] ?? 0) + 1;
    } else {
      row.delivered++;
      const count = (row.trt[String(fact.measure)] ??= [0, 0]);
      count[0]++;
      if (fact.withinTrt) count[1]++;
    }
  }
  return { block: { seen: seen.toString('base64'), rows }, added };
}

/** The sum of a month's blocks: its counts per User and SRV. */
export function sumRows(blocks: Iterable<Rows>): Rows {
  const total: Rows = {};
  for (const rows of blocks) {
    for (const [user, bySrv] of Object.entries(rows)) {
      for (const [srv, row] of Object.entries(bySrv)) {
        const into = ((total[user] ??= {})[srv] ??= emptyRow());
        into.accepted += row.accepted;
        into.delivered += row.delivered;
        for (const [code, n] of Object.entries(row.refused))
          into.refused[code] = (into.refused[code] ?? 0) + n;
        for (const [measure, [n, within]] of Object.entries(row.trt)) {
          const count = (into.trt[measure] ??= [0, 0]);
          count[0] += n;
          count[1] += within;
        }
      }
    }
  }
  return total;
}
