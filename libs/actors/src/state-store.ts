import { open, type Database, type RootDatabase } from 'lmdb';

/**
 * Where actor state lives while an actor is passive. State is opaque bytes; the runtime never interprets it.
 * Keys are (partition, actor id): a partition is the unit of ownership, so stores can act per partition.
 */
export interface StateStore {
  get(partition: number, actorId: string): Promise<Uint8Array | undefined>;
  /** Resolves once the state is stored as durably as this store can (the runtime acks only after that). */
  put(partition: number, actorId: string, state: Uint8Array): Promise<void>;
  delete(partition: number, actorId: string): Promise<void>;
  /**
   * Called when this instance starts owning `partition`, before any actor of it is activated, so a local
   * cache can drop what another owner may have changed meanwhile. `holds` says whether this instance still
   * owns it (its lease is held and was not revoked): a store's own background work on the partition checks it
   * before any step another owner's writes could suffer from.
   */
  partitionAcquired?(partition: number, instanceId: string, holds: () => boolean): Promise<void>;
  /** Called after this instance stopped serving `partition` gracefully (every write of it has completed). */
  partitionReleased?(partition: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * State on local disk only (one LMDB environment per directory), durable against a restart of this one instance
 * but not handed to another: the journaled store (journal-state-store.ts) is what services use; this one shows
 * in benchmarks what the journal adds.
 */
export class LmdbStateStore implements StateStore {
  private readonly root: RootDatabase;
  private readonly state: Database<Buffer, [number, string]>;

  constructor(path: string) {
    this.root = open({ path, compression: false });
    this.state = this.root.openDB<Buffer, [number, string]>({ name: 'state', encoding: 'binary' });
  }

  get(partition: number, actorId: string): Promise<Uint8Array | undefined> {
    return Promise.resolve(this.state.get([partition, actorId]));
  }

  async put(partition: number, actorId: string, state: Uint8Array): Promise<void> {
    await this.state.put([partition, actorId], Buffer.from(state.buffer, state.byteOffset, state.byteLength));
  }

  async delete(partition: number, actorId: string): Promise<void> {
    await this.state.remove([partition, actorId]);
  }

  async close(): Promise<void> {
    await this.root.close();
  }
}

/** A store in memory, for tests and for actors whose state need not survive the process. */
export class MemoryStateStore implements StateStore {
  readonly entries = new Map<string, Uint8Array>();
  get(partition: number, actorId: string): Promise<Uint8Array | undefined> {
    return Promise.resolve(this.entries.get(`${partition}/${actorId}`));
  }
  put(partition: number, actorId: string, state: Uint8Array): Promise<void> {
    this.entries.set(`${partition}/${actorId}`, state);
    return Promise.resolve();
  }
  delete(partition: number, actorId: string): Promise<void> {
    this.entries.delete(`${partition}/${actorId}`);
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}
