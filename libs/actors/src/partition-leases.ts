import { jetStreamReplicas } from '@dcc/bus';
import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { liveKeys } from './kv-live-keys.js';
import { planShare } from './lease-share.js';

export interface PartitionLeasesOptions {
  nc: NatsConnection;
  instanceId: string;
  partitions: number;
  /** KV bucket holding leases and heartbeats; its TTL (max age) is the lease TTL. Default `actor_leases`. */
  bucket?: string;
  /** Lease TTL: an entry not renewed for this long is removed by the server. Default 10 s. */
  ttlMs?: number;
  /** Renewal (and rebalancing) period; default ttl / 5. */
  renewMs?: number;
  /**
   * An owner stops serving a partition at `last renewal sent + ttl - marginMs` unless a later renewal
   * succeeded, so it has stopped before the server can expire the lease. Default ttl / 3.
   */
  marginMs?: number;
  /** Start serving a partition; if it throws, the lease is released again. */
  onAcquired(partition: number): Promise<void>;
  /** Stop serving a partition (`graceful`: release or rebalance; otherwise lease lost or late). */
  onLost(partition: number, graceful: boolean): Promise<void>;
  /** Errors of the background loop (connection trouble); the loop keeps going. */
  onError?(error: unknown): void;
}

interface Owned {
  revision: number;
  /** performance.now() after which this instance must no longer serve the partition. */
  deadline: number;
}

/**
 * Partition ownership through JetStream KV leases, not a membership protocol of our own:
 *
 * - bucket `actor_leases` (TTL = lease TTL); `p.<partition>` = owner instance id, `i.<instance>` = heartbeat;
 * - claim: `create(p.<n>)` (succeeds only when the key is absent, deleted or expired);
 * - renew: `update(p.<n>, rev)` every `renewMs` (revision-checked: fails if anyone else holds it);
 * - release: stop serving, then `delete(p.<n>, previousSeq: rev)`;
 * - fair share over the live instances (heartbeat keys present): `planShare` (lease-share.ts);
 * - reclaim: at start, leases whose value is this instance id were held by an earlier process with the same id,
 *   which is dead (an instance id belongs to at most one live process): they are taken back at once with a
 *   revision-checked `update` instead of waiting for their expiry. Were that process alive after all, its
 *   next renewal fails on the revision and it stops serving; the heartbeat's revision check reports it.
 *
 * Never two owners: the server removes a lease at the earliest `ttl` after the renewal's publish, and the owner
 * stops serving `marginMs` before `sent + ttl` by its own monotonic clock; a new owner can only `create` after
 * the removal (or release).
 */
export class PartitionLeases {
  readonly ttlMs: number;
  readonly renewMs: number;
  readonly marginMs: number;
  private readonly owned = new Map<number, Owned>();
  /** Partitions in transition (being acquired or dropped), left alone by the share planning meanwhile. */
  private readonly busy = new Set<number>();
  /**
   * Partitions claimed whose `onAcquired` still runs (a state store may be rebuilding them): renewed by every
   * round like those served, so a long take-up does not let the lease lapse, and not awaited by the rounds.
   */
  private readonly acquiring = new Set<number>();
  /** Take-ups under way (each a round's claims, or the partitions reclaimed at start). */
  private readonly activations = new Set<Promise<unknown>>();
  private kv!: KV;
  private readonly bucket: string;
  private loop?: NodeJS.Timeout;
  private watchdog?: NodeJS.Timeout;
  private ticking?: Promise<void>;
  private stopped = false;
  /** The revision of this process's last heartbeat (undefined before the first). */
  private heartbeat?: number;

  private constructor(private readonly options: PartitionLeasesOptions) {
    this.bucket = options.bucket ?? 'actor_leases';
    this.ttlMs = options.ttlMs ?? 10_000;
    this.renewMs = options.renewMs ?? Math.max(50, Math.floor(this.ttlMs / 5));
    this.marginMs = options.marginMs ?? Math.floor(this.ttlMs / 3);
    if (this.renewMs * 2 >= this.ttlMs - this.marginMs)
      throw new Error('lease renewal must be well inside ttl - margin (renewMs * 2 < ttlMs - marginMs)');
  }

  static async start(options: PartitionLeasesOptions): Promise<PartitionLeases> {
    const self = new PartitionLeases(options);
    self.kv = await new Kvm(options.nc).create(self.bucket, {
      history: 1,
      ttl: self.ttlMs,
      replicas: jetStreamReplicas(),
    });
    await self.reclaim().catch((error) => self.options.onError?.(error));
    // The loop runs while the first partitions are taken up, so a long take-up keeps their leases.
    self.loop = setInterval(() => void self.tick(), self.renewMs);
    self.watchdog = setInterval(() => self.checkDeadlines(), Math.max(10, Math.floor(self.marginMs / 4)));
    await self.tick();
    await self.settled(); // the partitions reclaimed and claimed first are served when start resolves
    return self;
  }

  /** Partitions this instance serves now. */
  get ownedPartitions(): number[] {
    return [...this.owned.keys()].sort((a, b) => a - b);
  }

  owns(partition: number): boolean {
    return this.owned.has(partition);
  }

  /**
   * Whether this instance may still act for the partition now, by its own clock: owned and before the
   * deadline. Unlike `owns`, it does not wait for the watchdog, whose timer runs late after the process was
   * frozen (SIGSTOP, a long pause): code resuming then runs before any timer and must see the lease as gone.
   */
  holds(partition: number): boolean {
    const lease = this.owned.get(partition);
    if (lease === undefined) return false;
    if (performance.now() <= lease.deadline) return true;
    // Seen past its deadline: gone now, as the watchdog would decide, so that a renewal landing before the
    // watchdog runs cannot revive it. Revived, the partition would be served again by the same consumer while
    // mail refused meanwhile waits out its ack wait, behind its actor's newer mail.
    void this.lose(partition);
    return false;
  }

  /** Runs one renewal/rebalance round now (the loop runs them every `renewMs`). */
  tick(): Promise<void> {
    if (!this.ticking)
      this.ticking = this.round()
        .catch((error) => this.options.onError?.(error))
        .finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  /** Graceful stop: stop serving every partition, release the leases and the heartbeat. */
  async stop(): Promise<void> {
    this.halt();
    await this.ticking;
    await this.settled();
    await Promise.all(this.ownedPartitions.map((p) => this.release(p)));
    await this.kv.delete(this.heartbeatKey()).catch(() => undefined);
  }

  /** Crash simulation (tests): stop renewing without releasing anything and without calling onLost. */
  abandon(): void {
    this.halt();
    this.owned.clear();
  }

  private halt(): void {
    this.stopped = true;
    clearInterval(this.loop);
    clearInterval(this.watchdog);
  }

  private heartbeatKey(): string {
    return `i.${this.options.instanceId}`;
  }

  private async round(): Promise<void> {
    if (this.stopped) return;
    const { partitions, instanceId } = this.options;
    await this.beat();
    const renewed = this.ownedPartitions.filter((p) => !this.busy.has(p) || this.acquiring.has(p));
    await Promise.all(renewed.map((p) => this.renew(p)));
    if (this.stopped) return;

    const instances = await liveKeys(this.options.nc, this.kv, this.bucket, ['i.>']);
    const taken = new Set((await this.heldLeases()).map((k) => Number(k.slice(2))));
    const plan = planShare({
      partitions,
      instanceId,
      liveInstances: new Set([...instances, this.heartbeatKey()]).size,
      owned: this.ownedPartitions,
      taken,
      busy: this.busy,
    });
    if (plan.kind === 'release') await Promise.all(plan.partitions.map((p) => this.release(p)));
    if (plan.kind !== 'claim') return;
    let wanted = plan.wanted;
    const claimed: number[] = [];
    for (const p of plan.candidates) {
      if (wanted <= 0 || this.stopped) break;
      if (this.owned.has(p) || this.busy.has(p)) continue; // changed while this round claimed others
      if (await this.claim(p)) {
        claimed.push(p);
        wanted--;
      }
    }
    // Start serving what was claimed in this round together, so the user can apply it as one change (the
    // actor runtime reconfigures its one consumer once per round, not once per partition). Not awaited: the
    // next rounds renew these leases while they are taken up.
    this.takeUp(claimed);
  }

  /**
   * Takes back the leases an earlier process with this instance id held when it died, so its partitions are
   * served again now rather than after their TTL. They start serving together, as one change.
   */
  private async reclaim(): Promise<void> {
    const { instanceId } = this.options;
    const keys = await this.heldLeases();
    const reclaimed: number[] = [];
    await Promise.all(
      keys.map(async (key) => {
        const entry = await this.kv.get(key);
        if (entry?.operation !== 'PUT' || entry.string() !== instanceId) return;
        const partition = Number(key.slice(2));
        const sent = performance.now();
        try {
          const revision = await this.kv.update(key, instanceId, entry.revision);
          this.owned.set(partition, { revision, deadline: sent + this.ttlMs - this.marginMs });
          this.busy.add(partition);
          reclaimed.push(partition);
        } catch {
          // changed since it was read (expired, released or claimed): the rounds treat it as any other
        }
      }),
    );
    this.takeUp(reclaimed.sort((a, b) => a - b));
  }

  /** The partitions whose lease is held now (by any instance), as keys `p.<n>` (kv-live-keys.ts: no consumer). */
  private heldLeases(): Promise<string[]> {
    const keys = Array.from({ length: this.options.partitions }, (_, p) => `p.${p}`);
    return liveKeys(this.options.nc, this.kv, this.bucket, keys);
  }

  /** Writes this process's heartbeat (revision-checked, so another live process with this id is reported). */
  private async beat(): Promise<void> {
    const key = this.heartbeatKey();
    const value = String(Date.now());
    if (this.heartbeat !== undefined) {
      try {
        this.heartbeat = await this.kv.update(key, value, this.heartbeat);
        return;
      } catch {
        this.options.onError?.(
          new Error(
            `the heartbeat of instance id ${this.options.instanceId} changed under this process: another ` +
              'process runs with the same id, or the heartbeat expired',
          ),
        );
      }
    }
    this.heartbeat = await this.kv.put(key, value);
  }

  /** Takes the lease of a free partition (not yet serving it). */
  private async claim(partition: number): Promise<boolean> {
    const sent = performance.now();
    let revision: number;
    try {
      revision = await this.kv.create(`p.${partition}`, this.options.instanceId);
    } catch {
      return false; // someone else holds it
    }
    this.owned.set(partition, { revision, deadline: sent + this.ttlMs - this.marginMs });
    this.busy.add(partition);
    return true;
  }

  /** Starts serving the partitions together (one change for the user), renewed meanwhile by the rounds. */
  private takeUp(partitions: number[]): void {
    if (partitions.length === 0) return;
    for (const p of partitions) this.acquiring.add(p);
    const work = Promise.all(partitions.map((p) => this.activate(p)));
    this.activations.add(work);
    void work.finally(() => this.activations.delete(work));
  }

  private async settled(): Promise<void> {
    await Promise.allSettled([...this.activations]);
  }

  private async activate(partition: number): Promise<boolean> {
    try {
      await this.options.onAcquired(partition);
    } catch (error) {
      this.options.onError?.(error);
      this.acquiring.delete(partition);
      this.busy.delete(partition);
      await this.release(partition, false);
      return false;
    }
    this.acquiring.delete(partition);
    this.busy.delete(partition);
    return true;
  }

  private async renew(partition: number): Promise<void> {
    const lease = this.owned.get(partition);
    if (!lease) return;
    const sent = performance.now();
    try {
      lease.revision = await this.kv.update(`p.${partition}`, this.options.instanceId, lease.revision);
      if (this.owned.get(partition) === lease) lease.deadline = sent + this.ttlMs - this.marginMs;
    } catch (error) {
      this.options.onError?.(error);
      if (this.owned.get(partition) === lease) await this.lose(partition);
    }
  }

  /** Stops serving without touching the lease (it is lost, late, or someone else's). */
  private async lose(partition: number): Promise<void> {
    if (!this.owned.delete(partition)) return;
    await this.options.onLost(partition, false).catch((error) => this.options.onError?.(error));
  }

  private async release(partition: number, notify = true): Promise<void> {
    const lease = this.owned.get(partition);
    if (!lease) return;
    this.busy.add(partition);
    try {
      if (notify) await this.options.onLost(partition, true).catch((error) => this.options.onError?.(error));
      this.owned.delete(partition);
      // Only after serving stopped; revision-checked, so a lease someone else holds by now is left alone.
      await this.kv.delete(`p.${partition}`, { previousSeq: lease.revision }).catch(() => undefined);
    } finally {
      this.busy.delete(partition);
    }
  }

  private checkDeadlines(): void {
    const now = performance.now();
    for (const [p, lease] of this.owned) if (now > lease.deadline) void this.lose(p);
  }
}
