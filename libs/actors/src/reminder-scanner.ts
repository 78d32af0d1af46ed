import { MailboxFull, PartitionRevokedError, type RuntimeStats } from './actor-types.js';
import { ReminderStore, type DueReminder } from './reminders.js';

export interface ReminderScannerOptions {
  stats: RuntimeStats;
  /**
   * Runs a due reminder as its actor's turn; resolves once handled, undefined when the partition is not served
   * here (any more).
   */
  fire(reminder: DueReminder): Promise<void> | undefined;
  onError(error: unknown, where: string): void;
}

/**
 * Fires the due reminders of the partitions this instance serves: each tick lists the minutes from each
 * partition's cursor to now, runs the due reminders through their actors' turns, deletes each after it was
 * handled (so a reminder fires once, or again after a crash before its deletion), and moves the cursor past
 * minutes whose reminders all fired.
 */
export class ReminderScanner {
  private readonly cursors = new Map<number, number>();
  /** Reminders whose turn runs now: a scan meanwhile does not fire them again. */
  private readonly firing = new Set<string>();
  private scanning?: Promise<void>;

  constructor(
    readonly store: ReminderStore,
    private readonly options: ReminderScannerOptions,
  ) {}

  /** Starts scanning a partition at its persisted cursor (a partition never scanned starts at this minute). */
  async acquire(partition: number): Promise<void> {
    const minute = ReminderStore.minuteOf(Date.now());
    const cursor = await this.store.cursor(partition);
    if (cursor === undefined) await this.store.setCursor(partition, minute);
    this.cursors.set(partition, cursor ?? minute);
  }

  release(partition: number): void {
    this.cursors.delete(partition);
  }

  /** Runs one scan (one at a time: a call during a scan gets that scan). */
  scan(): Promise<void> {
    if (!this.scanning)
      this.scanning = this.run()
        .catch((e) => this.options.onError(e, 'reminders'))
        .finally(() => (this.scanning = undefined));
    return this.scanning;
  }

  /** The scan running now, if any. */
  get running(): Promise<void> | undefined {
    return this.scanning;
  }

  private async run(): Promise<void> {
    const reminders = this.store;
    const now = Date.now();
    const minute = ReminderStore.minuteOf(now);
    const ranges = new Map<number, [number, number]>();
    for (const [p, from] of this.cursors) ranges.set(p, [from, minute]);
    const due = await reminders.due(ranges, now);
    const stuck = new Map<number, number>();
    await Promise.all(
      due.map(async (r) => {
        if (this.firing.has(r.key)) return;
        const turn = this.options.fire(r);
        if (!turn) return;
        this.firing.add(r.key);
        try {
          await turn;
          await reminders.fired(r);
          this.options.stats.remindersFired++;
        } catch (error) {
          if (!(error instanceof PartitionRevokedError) && !(error instanceof MailboxFull))
            this.options.onError(error, `reminder ${r.key}`);
          const m = Number(r.key.split('.')[2]);
          stuck.set(r.partition, Math.min(stuck.get(r.partition) ?? m, m));
        } finally {
          this.firing.delete(r.key);
        }
      }),
    );
    // Minutes before this one are complete unless one of their reminders failed: move the cursor on.
    for (const [p, [from]] of ranges) {
      const next = Math.min(stuck.get(p) ?? minute, minute);
      if (next !== from && this.cursors.get(p) === from) {
        this.cursors.set(p, next);
        await reminders.setCursor(p, next).catch((e) => this.options.onError(e, 'reminder cursor'));
      }
    }
  }
}
