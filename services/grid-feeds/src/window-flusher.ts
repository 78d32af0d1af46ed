import { GridAggregate, GridOutageSummary } from '@dcc/proto';
import type { Logger } from '@dcc/service-kit';
import type { FeedPublisher } from './feed-publisher.js';
import type { GridWindows } from './grid-windows.js';

export interface WindowFlusherOptions {
  windows: GridWindows;
  feeds: FeedPublisher;
  log: Pick<Logger, 'warn'>;
  /** Outage-summary window (one summary per feeder per window). */
  summaryWindowMs: number;
  /** Aggregation period (one aggregate per active feeder and substation per period). */
  aggregatePeriodMs: number;
  clock?: () => number;
}

/**
 * Closes the outage-summary windows and aggregation periods on their timers and publishes what they give:
 * `outage-summary.<feeder>`, `aggregate.<feeder>` and `substation-aggregate.<substation>`. A publication that
 * fails is logged and lost (a later window reports the feeders' state again): these are derived figures,
 * the per-meter events are the record.
 */
export class WindowFlusher {
  readonly stats = { summaries: 0, aggregates: 0 };
  private readonly timers: NodeJS.Timeout[] = [];
  private running = Promise.resolve();
  private readonly clock: () => number;

  constructor(private readonly options: WindowFlusherOptions) {
    this.clock = options.clock ?? Date.now;
  }

  start(): void {
    this.timers.push(
      setInterval(() => this.serial(() => this.flushSummaries()), this.options.summaryWindowMs),
      setInterval(() => this.serial(() => this.flushAggregates()), this.options.aggregatePeriodMs),
    );
  }

  /** Stops the timers and publishes the current outage-summary window (aggregates are periodic: not flushed). */
  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.serial(() => this.flushSummaries());
    await this.running;
  }

  async flushSummaries(): Promise<void> {
    for (const s of this.options.windows.closeWindow(this.clock())) {
      const id = `summary:${s.networkOperatorId}:${s.feeder}:${s.windowStartMs}`;
      await this.options.feeds.publish(
        s.networkOperatorId,
        'outage-summary',
        s.feeder,
        GridOutageSummary,
        s,
        id,
      );
      this.stats.summaries++;
    }
  }

  async flushAggregates(): Promise<void> {
    for (const a of this.options.windows.closePeriod(this.clock())) {
      const feed = a.feeder ? 'aggregate' : 'substation-aggregate';
      const area = a.feeder || a.substation;
      const id = `${feed}:${a.networkOperatorId}:${area}:${a.windowStartMs}`;
      await this.options.feeds.publish(a.networkOperatorId, feed, area, GridAggregate, a, id);
      this.stats.aggregates++;
    }
  }

  /** One flush at a time, in order; a failure is logged and does not stop the next. */
  private serial(flush: () => Promise<void>): void {
    this.running = this.running
      .then(flush)
      .catch((error: unknown) => this.options.log.warn({ err: error }, 'grid feed window not published'));
  }
}
