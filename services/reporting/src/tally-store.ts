import { jetStreamReplicas } from '@dcc/bus';
import type { CalendarMonth } from '@dcc/domain';
import { StorageType } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { applyFacts, blockKey, sumRows, type Block, type Fact, type FactSource, type Rows } from './tally.js';

/** The KV bucket of the monthly tallies: one entry per month, source stream and block of its sequences. */
export const REPORTING_BUCKET = 'reporting';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The monthly tallies in a JetStream KV bucket, shared by every instance of the reporting service. A block is
 * replaced by compare-and-set on its revision, its counts and its bitmap of counted sequences together: two
 * instances adding to the same block retry on conflict, and a fact redelivered after it was counted (a crash
 * before the acknowledgement) finds its bit set and is not counted again.
 */
export class TallyStore {
  private constructor(private readonly kv: KV) {}

  static async open(nc: NatsConnection): Promise<TallyStore> {
    const kv = await new Kvm(nc).create(REPORTING_BUCKET, {
      history: 1,
      storage: StorageType.File,
      replicas: jetStreamReplicas(),
    });
    return new TallyStore(kv);
  }

  /** Counts the facts read from `source` that are not counted yet; resolves once they are stored. */
  async add(source: FactSource, facts: readonly Fact[]): Promise<number> {
    const byBlock = new Map<string, Fact[]>();
    for (const fact of facts) {
      const key = blockKey(source, fact);
      byBlock.set(key, [...(byBlock.get(key) ?? []), fact]);
    }
    const added = await Promise.all([...byBlock].map(([key, group]) => this.addToBlock(key, group)));
    return added.reduce((a, b) => a + b, 0);
  }

  /** Every count of one month, per User and SRV. */
  async month(month: CalendarMonth): Promise<Rows> {
    const keys: string[] = [];
    for await (const key of await this.kv.keys(`${month}.>`)) keys.push(key);
    const blocks = await Promise.all(keys.map((key) => this.read(key)));
    return sumRows(blocks.flatMap((entry) => (entry ? [entry.block.rows] : [])));
  }

  private async addToBlock(key: string, facts: readonly Fact[]): Promise<number> {
    for (;;) {
      const stored = await this.read(key);
      const { block, added } = applyFacts(stored?.block, facts);
      if (added === 0) return 0;
      const value = encoder.encode(JSON.stringify(block));
      try {
        if (stored) await this.kv.update(key, value, stored.revision);
        else await this.kv.create(key, value);
        return added;
      } catch (error) {
        // Another instance changed the block first: read it again and add what it does not hold.
        if (!isConflict(error)) throw error;
      }
    }
  }

  private async read(key: string): Promise<{ block: Block; revision: number } | undefined> {
    const entry = await this.kv.get(key);
    if (!entry || entry.operation !== 'PUT') return undefined;
    return { block: JSON.parse(decoder.decode(entry.value)) as Block, revision: entry.revision };
  }
}

/** A compare-and-set that lost: wrong last sequence (10071), or the key created meanwhile. */
function isConflict(error: unknown): boolean {
  const text = String((error as Error).message ?? error);
  return /wrong last sequence|key exists|10071/i.test(text);
}
