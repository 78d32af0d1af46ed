import { ON_DEMAND_TRT_MS } from '@dcc/domain';
import { TrtComplianceRow, type ScheduledRun, type TrtComplianceTotal } from '@dcc/proto';
import { StorageType } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';

/** The KV bucket of compliance figures: one record per User, SRV and purpose. */
export const TRT_BUCKET = 'schedule_trt';

const NO_PURPOSE = '-';

/**
 * Whether a run released at `releasedMs` is in time: early enough that its delivery, which answers within the
 * on-demand TRT once access control has it (the adapters' E20/E21 clock), still ends before the run's own TRT
 * deadline (24 h from due).
 */
export function releasedInTime(run: Pick<ScheduledRun, 'trtDeadlineMs'>, releasedMs: number): boolean {
  return releasedMs <= run.trtDeadlineMs - ON_DEMAND_TRT_MS;
}

const keyOf = (userId: string, srv: string, purpose: string) => `${userId}.${srv}.${purpose || NO_PURPOSE}`;

/**
 * The TRT compliance of released runs, per User, SRV and purpose (KV `schedule_trt`; a handful of records per
 * User, never one per schedule). Releases are counted in memory and added to the records at each flush with
 * compare-and-set, so several writers add up; a crash before a flush loses that tick's counts (the runs
 * themselves are not lost: released again after a restart, they are duplicates SCHEDULED_RUNS drops, and not
 * counted twice).
 */
export class TrtCompliance {
  private pending = new Map<string, TrtComplianceRow>();

  private constructor(private readonly kv: KV) {}

  static async open(nc: NatsConnection): Promise<TrtCompliance> {
    return new TrtCompliance(await new Kvm(nc).create(TRT_BUCKET, { history: 1, storage: StorageType.File }));
  }

  record(run: ScheduledRun, releasedMs: number): void {
    const key = keyOf(run.userId, run.serviceReferenceVariant, run.purpose);
    const row =
      this.pending.get(key) ??
      TrtComplianceRow.fromPartial({
        userId: run.userId,
        serviceReferenceVariant: run.serviceReferenceVariant,
        purpose: run.purpose,
      });
    row.released += 1;
    if (releasedInTime(run, releasedMs)) row.inTime += 1;
    else row.late += 1;
    this.pending.set(key, row);
  }

  /** Adds the counts recorded since the last flush to the stored records. */
  async flush(): Promise<void> {
    const pending = this.pending;
    this.pending = new Map();
    for (const [key, delta] of pending) {
      for (;;) {
        const entry = await this.kv.get(key);
        const stored = entry?.value.length ? TrtComplianceRow.decode(entry.value) : undefined;
        const row = {
          ...delta,
          released: delta.released + (stored?.released ?? 0),
          inTime: delta.inTime + (stored?.inTime ?? 0),
          late: delta.late + (stored?.late ?? 0),
        };
        const bytes = TrtComplianceRow.encode(row).finish();
        try {
          if (entry?.value.length) await this.kv.update(key, bytes, entry.revision);
          else await this.kv.create(key, bytes);
          break;
        } catch (error) {
          // Another writer went first (wrong last sequence): read again and add to its figures.
          if (!/wrong last sequence|exists/i.test((error as Error).message)) throw error;
        }
      }
    }
  }

  /** The stored figures of one User, or (undefined) of every User, with totals per SRV and per User. */
  async report(userId: string | undefined): Promise<{
    rows: TrtComplianceRow[];
    perSrv: TrtComplianceTotal[];
    perUser: TrtComplianceTotal[];
  }> {
    const rows: TrtComplianceRow[] = [];
    for await (const key of await this.kv.keys(userId ? `${userId}.>` : '>')) {
      const entry = await this.kv.get(key);
      if (entry?.value.length) rows.push(TrtComplianceRow.decode(entry.value));
    }
    rows.sort((a, b) =>
      keyOf(a.userId, a.serviceReferenceVariant, a.purpose).localeCompare(
        keyOf(b.userId, b.serviceReferenceVariant, b.purpose),
      ),
    );
    return {
      rows,
      perSrv: totals(rows, (r) => r.serviceReferenceVariant),
      perUser: totals(rows, (r) => r.userId),
    };
  }
}

function totals(rows: TrtComplianceRow[], keyOfRow: (row: TrtComplianceRow) => string): TrtComplianceTotal[] {
  const byKey = new Map<string, TrtComplianceTotal>();
  for (const row of rows) {
    const key = keyOfRow(row);
    const total = byKey.get(key) ?? { key, released: 0, inTime: 0, late: 0, compliance: 1 };
    total.released += row.released;
    total.inTime += row.inTime;
    total.late += row.late;
    total.compliance = total.inTime / total.released;
    byKey.set(key, total);
  }
  return [...byKey.values()].sort((a, b) => a.key.localeCompare(b.key));
}
