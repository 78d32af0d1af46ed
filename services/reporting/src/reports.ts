import type { CalendarMonth } from '@dcc/domain';
import {
  PerformanceMeasure,
  type AccountingRow,
  type MeasurePerformance,
  type MonthlyPerformanceResponse,
  type ServiceAccountingResponse,
  type TrtShare,
} from '@dcc/proto';
import type { Rows, TrtCount } from './tally.js';

const MEASURES = [
  { key: '1', measure: PerformanceMeasure.PERFORMANCE_MEASURE_ON_DEMAND },
  { key: '2', measure: PerformanceMeasure.PERFORMANCE_MEASURE_FUTURE_DATED },
] as const;

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function share([responses, within]: TrtCount): TrtShare {
  return { responses, withinTrt: within, shareWithinTrt: responses === 0 ? 0 : within / responses };
}

/** The monthly performance report: per measure, the share within TRT in all and per SRV (every User's). */
export function monthlyPerformance(month: CalendarMonth, rows: Rows): MonthlyPerformanceResponse {
  const measures: MeasurePerformance[] = [];
  for (const { key, measure } of MEASURES) {
    const perSrv = new Map<string, TrtCount>();
    for (const bySrv of Object.values(rows)) {
      for (const [srv, row] of Object.entries(bySrv)) {
        const count = row.trt[key];
        if (!count) continue;
        const sum = perSrv.get(srv) ?? [0, 0];
        perSrv.set(srv, [sum[0] + count[0], sum[1] + count[1]]);
      }
    }
    if (perSrv.size === 0) continue;
    const total: TrtCount = [0, 0];
    for (const [n, within] of perSrv.values()) {
      total[0] += n;
      total[1] += within;
    }
    const srvs = [...perSrv.keys()].sort(byText).map((srv) => ({
      serviceReferenceVariant: srv,
      share: share(perSrv.get(srv)!),
    }));
    measures.push({ measure, total: share(total), srvs });
  }
  return { month, measures };
}

/** Service accounting: per User (one, when `user` is given) and SRV. */
export function serviceAccounting(
  month: CalendarMonth,
  rows: Rows,
  user?: string,
): ServiceAccountingResponse {
  const out: AccountingRow[] = [];
  for (const userId of Object.keys(rows).sort(byText)) {
    if (user && userId !== user) continue;
    const bySrv = rows[userId]!;
    for (const srv of Object.keys(bySrv).sort(byText)) {
      const row = bySrv[srv]!;
      const refusals = Object.entries(row.refused)
        .sort(([a], [b]) => byText(a, b))
        .map(([responseCode, count]) => ({ responseCode, count }));
      out.push({
        userId,
        serviceReferenceVariant: srv,
        accepted: row.accepted,
        refused: refusals.reduce((sum, r) => sum + r.count, 0),
        refusals,
        responsesDelivered: row.delivered,
      });
    }
  }
  return { month, rows: out };
}
