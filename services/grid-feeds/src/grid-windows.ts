import { GridEventKind, type GridAggregate, type GridOutageSummary } from '@dcc/proto';

/** Most MPxNs an outage summary names: the rest are on the per-meter `outage` feed. */
export const SUMMARY_SAMPLE_SIZE = 20;

/** One meter's grid event, as far as the windows need it. */
export interface WindowedEvent {
  networkOperatorId: string;
  feeder: string;
  substation: string;
  mpxn: string;
  kind: GridEventKind;
}

interface Counts {
  outages: number;
  restores: number;
  voltageEvents: number;
  reporting: Set<string>;
}

interface FeederState {
  networkOperatorId: string;
  feeder: string;
  substation: string;
  offSupply: Set<string>;
  /** Outage summary window. */
  window: Counts & { samples: string[] };
  /** Aggregation period. */
  period: Counts;
}

const counts = (): Counts => ({ outages: 0, restores: 0, voltageEvents: 0, reporting: new Set() });

/**
 * The feeders' windows: what happened on each feeder in the current outage-summary window and aggregation
 * period, and which of its meters are off supply (an outage alert without a restore since). `closeWindow`
 * gives one summary per feeder that had outages or restores in the window, however many meters; `closePeriod`
 * one aggregate per feeder and per substation that has meters off supply or had events in the period. So what a
 * summary subscriber receives is bounded by the number of feeders, not of meters. In memory: a restart starts
 * from nothing off supply (the per-meter events on the stream are the record).
 */
export class GridWindows {
  /** By DNO and feeder: the same feeder name under two DNOs is two feeders. */
  private readonly feeders = new Map<string, FeederState>();
  private windowStartMs: number;
  private periodStartMs: number;

  constructor(nowMs: number) {
    this.windowStartMs = nowMs;
    this.periodStartMs = nowMs;
  }

  record(event: WindowedEvent): void {
    const key = `${event.networkOperatorId}/${event.feeder}`;
    let f = this.feeders.get(key);
    if (!f) {
      f = {
        networkOperatorId: event.networkOperatorId,
        feeder: event.feeder,
        substation: event.substation,
        offSupply: new Set(),
        window: { ...counts(), samples: [] },
        period: counts(),
      };
      this.feeders.set(key, f);
    }
    f.substation = event.substation;
    for (const c of [f.window, f.period]) {
      c.reporting.add(event.mpxn);
      if (event.kind === GridEventKind.GRID_EVENT_KIND_OUTAGE) c.outages++;
      else if (event.kind === GridEventKind.GRID_EVENT_KIND_RESTORE) c.restores++;
      else c.voltageEvents++;
    }
    if (event.kind === GridEventKind.GRID_EVENT_KIND_OUTAGE) {
      f.offSupply.add(event.mpxn);
      if (f.window.samples.length < SUMMARY_SAMPLE_SIZE && !f.window.samples.includes(event.mpxn)) {
        f.window.samples.push(event.mpxn);
      }
    } else if (event.kind === GridEventKind.GRID_EVENT_KIND_RESTORE) {
      f.offSupply.delete(event.mpxn);
    }
  }

  /** Ends the outage-summary window at `nowMs`: one summary per feeder with outages or restores in it. */
  closeWindow(nowMs: number): GridOutageSummary[] {
    const summaries: GridOutageSummary[] = [];
    for (const f of this.feeders.values()) {
      const w = f.window;
      if (w.outages + w.restores > 0) {
        summaries.push({
          networkOperatorId: f.networkOperatorId,
          feeder: f.feeder,
          substation: f.substation,
          windowStartMs: this.windowStartMs,
          windowEndMs: nowMs,
          outages: w.outages,
          restores: w.restores,
          metersOffSupply: f.offSupply.size,
          sampleMpxns: [...w.samples],
        });
      }
      f.window = { ...counts(), samples: [] };
    }
    this.windowStartMs = nowMs;
    return summaries;
  }

  /**
   * Ends the aggregation period at `nowMs`: one aggregate per feeder, then one per substation (the sum of its
   * feeders), for those with meters off supply or events in the period. Feeders with neither are forgotten.
   */
  closePeriod(nowMs: number): GridAggregate[] {
    const feeders: GridAggregate[] = [];
    const substations = new Map<string, GridAggregate & { reporting: Set<string> }>();
    for (const [key, f] of this.feeders) {
      const p = f.period;
      const active = f.offSupply.size + p.outages + p.restores + p.voltageEvents > 0;
      if (!active) {
        this.feeders.delete(key);
        continue;
      }
      const aggregate: GridAggregate = {
        networkOperatorId: f.networkOperatorId,
        substation: f.substation,
        feeder: f.feeder,
        windowStartMs: this.periodStartMs,
        windowEndMs: nowMs,
        metersOffSupply: f.offSupply.size,
        outages: p.outages,
        restores: p.restores,
        voltageEvents: p.voltageEvents,
        metersReporting: p.reporting.size,
      };
      feeders.push(aggregate);
      const sKey = `${f.networkOperatorId}/${f.substation}`;
      const s = substations.get(sKey) ?? {
        ...aggregate,
        feeder: '',
        metersOffSupply: 0,
        outages: 0,
        restores: 0,
        voltageEvents: 0,
        reporting: new Set<string>(),
      };
      s.metersOffSupply += aggregate.metersOffSupply;
      s.outages += p.outages;
      s.restores += p.restores;
      s.voltageEvents += p.voltageEvents;
      for (const m of p.reporting) s.reporting.add(m);
      substations.set(sKey, s);
      f.period = counts();
    }
    this.periodStartMs = nowMs;
    const perSubstation = [...substations.values()].map(({ reporting, ...s }) => ({
      ...s,
      metersReporting: reporting.size,
    }));
    return [...feeders, ...perSubstation];
  }
}
