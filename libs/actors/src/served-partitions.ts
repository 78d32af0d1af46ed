import type { OutboundBatch } from '@dcc/bus';
import type { Activations, Serving } from './activations.js';
import type { MailConsumer } from './mail-consumer.js';
import type { PartitionLeases } from './partition-leases.js';
import type { ReminderScanner } from './reminder-scanner.js';
import type { StateStore } from './state-store.js';

export interface ServedPartitionsDeps {
  instanceId: string;
  consumerName: string;
  store: StateStore;
  consumer: MailConsumer;
  activations: Pick<Activations<unknown>, 'dropPartition'>;
  /** Where finished turns' acks wait for the loop turn's flush. */
  outbound: OutboundBatch;
  /** Unset only while the leases' first round runs inside the runtime's start, on leases just taken. */
  leases(): PartitionLeases | undefined;
  reminders(): ReminderScanner | undefined;
  closed(): boolean;
  error(error: unknown, where: string): void;
}

/**
 * The partitions this instance serves, and the hand-over of each as its lease comes and goes: whether new turns
 * may start on one (`serving`), whether turns already running may still store their outcome (`mayFinish`), and
 * the order in which a partition is taken up (store, reminders, consumer filter) and given back (stop new turns,
 * let running ones store and ack, stop filtering it, then release).
 */
export class ServedPartitions {
  private readonly served = new Map<number, Serving>();
  /** Every running turn of mail, of any partition (served or being handed over). */
  readonly running = new Set<Promise<void>>();

  constructor(private readonly deps: ServedPartitionsDeps) {}

  get(partition: number): Serving | undefined {
    return this.served.get(partition);
  }

  /** The partitions new turns may start on, ascending: what the consumer should filter. */
  active(): number[] {
    return [...this.served.values()]
      .filter((s) => s.active && s.ready)
      .map((s) => s.partition)
      .sort((a, b) => a - b);
  }

  serving(s: Serving): boolean {
    // The lease's deadline too, not only `active` (cleared by the leases' watchdog timer, which runs late after
    // a freeze).
    return s.active && s.ready && this.held(s) && this.served.get(s.partition) === s && !this.deps.closed();
  }

  /**
   * Whether a running turn may still store its outcome (and set reminders): not while new turns may start
   * (`serving`), but while the lease is held and not revoked. A graceful hand-over (a stop, a rebalance) stops
   * new turns, waits for the running ones to store and ack, and only then revokes and releases the lease: a
   * turn refused its write there would have acted on its device with nothing stored, and the next owner
   * would deliver the command again.
   */
  mayFinish(s: Serving): boolean {
    return !s.revoked && this.held(s);
  }

  async acquire(partition: number): Promise<void> {
    const { store, consumer, instanceId, consumerName } = this.deps;
    const s: Serving = { partition, active: true, ready: false, revoked: false, inFlight: new Set() };
    this.served.set(partition, s);
    try {
      await store.partitionAcquired?.(partition, instanceId, () => this.mayFinish(s));
      await this.deps.reminders()?.acquire(partition);
      s.ready = true;
      if (!this.serving(s)) return;
      // One consumer change for every partition acquired in this round (they call in together).
      await consumer.reconcile();
      if (this.serving(s) && !consumer.filteredPartitions.includes(partition))
        throw new Error(`consumer ${consumerName} does not filter partition ${partition}`);
    } catch (error) {
      s.active = false;
      s.revoked = true;
      if (this.served.get(partition) === s) this.served.delete(partition);
      throw error;
    }
  }

  async lose(partition: number, graceful: boolean): Promise<void> {
    const { store, consumer, activations, outbound, error } = this.deps;
    const s = this.served.get(partition);
    if (!s) return;
    s.active = false;
    this.served.delete(partition);
    this.deps.reminders()?.release(partition);
    // Graceful: let running turns finish, store and ack (the lease is held until this returns); queued ones see
    // the partition no longer served and are nak'ed. Lost: running turns may not store any more.
    if (!graceful) s.revoked = true;
    else await Promise.allSettled([...s.inFlight]);
    outbound.flush(); // the finished turns' acks, before the consumer stops filtering the partition
    s.revoked = true;
    activations.dropPartition(partition);
    // The consumer must no longer filter the partition before the lease is released (work-queue filters may
    // not overlap, and the next owner's consumer takes it over).
    await consumer.reconcile().catch((e: unknown) => error(e, 'consumer'));
    if (graceful)
      await store
        .partitionReleased?.(partition)
        .catch((e: unknown) => error(e, `release of partition ${partition}`));
  }

  /** A simulated crash: every partition stops at once, nothing released. */
  abandon(): void {
    for (const s of this.served.values()) {
      s.active = false;
      s.revoked = true;
    }
    this.served.clear();
  }

  /** Counts a turn as running on its partition (and in `running` when `runtimeWide`) until it settles. */
  track(s: Serving, work: Promise<void>, runtimeWide = true): void {
    s.inFlight.add(work);
    if (runtimeWide) this.running.add(work);
    void work.finally(() => {
      s.inFlight.delete(work);
      this.running.delete(work);
    });
  }

  private held(s: Serving): boolean {
    const leases = this.deps.leases();
    return leases === undefined || leases.holds(s.partition);
  }
}
