import type { Received } from './response-reader.js';

/** Per scenario: what was acknowledged, and every delivery of every response the User's client had. */
export class Tally {
  readonly acknowledged = new Set<string>();
  readonly refused = new Map<string, number>();
  private readonly deliveries = new Map<string, Received[]>();

  acknowledge(requestId: string): void {
    this.acknowledged.add(requestId);
  }

  refuse(reason: string): void {
    this.refused.set(reason, (this.refused.get(reason) ?? 0) + 1);
  }

  deliver(response: Received): void {
    const list = this.deliveries.get(response.requestId) ?? [];
    list.push(response);
    this.deliveries.set(response.requestId, list);
  }

  /** Every delivery of one request's response (none yet: empty). */
  deliveriesOf(requestId: string): readonly Received[] {
    return this.deliveries.get(requestId) ?? [];
  }

  /** Every delivery so far, by RequestID, acknowledged or not (e.g. a schedule's runs). */
  delivered(): ReadonlyMap<string, readonly Received[]> {
    return this.deliveries;
  }

  /** The first delivery of each answered request. */
  answers(): Received[] {
    return [...this.deliveries.values()].map((list) => list[0]!);
  }

  /** Acknowledged requests with no answer yet. */
  unanswered(): number {
    let n = 0;
    for (const id of this.acknowledged) if (!this.deliveries.has(id)) n++;
    return n;
  }

  /**
   * The counts. A duplicate is a second delivery of the same response (same ResponseID and outcome): it is
   * "explained" where the scenario's failure allows at-least-once redelivery. Two different answers to one
   * request are never explained.
   */
  counts(duplicatesExplained: boolean): Counts {
    let answeredOnce = 0;
    let lost = 0;
    let redelivered = 0;
    let conflicting = 0;
    for (const id of this.acknowledged) {
      const list = this.deliveries.get(id);
      if (!list) lost++;
      else if (list.length === 1) answeredOnce++;
      else if (
        list.every((r) => r.responseId === list[0]!.responseId && r.responseCode === list[0]!.responseCode)
      )
        redelivered++;
      else conflicting++;
    }
    let answeredUnacknowledged = 0;
    for (const id of this.deliveries.keys()) if (!this.acknowledged.has(id)) answeredUnacknowledged++;
    return {
      acknowledged: this.acknowledged.size,
      refused: [...this.refused.values()].reduce((a, b) => a + b, 0),
      answeredOnce,
      duplicates: redelivered + conflicting,
      unexplainedDuplicates: conflicting + (duplicatesExplained ? 0 : redelivered),
      lost,
      answeredUnacknowledged,
    };
  }
}

export interface Counts {
  acknowledged: number;
  /** Submissions the hub refused or could not take (not acknowledged: nothing owed). */
  refused: number;
  answeredOnce: number;
  duplicates: number;
  unexplainedDuplicates: number;
  lost: number;
  /** Answered although the client never saw the I99 (the hub stored it, the acknowledgement was cut off). */
  answeredUnacknowledged: number;
}
