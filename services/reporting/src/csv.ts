import {
  PerformanceMeasure,
  type MonthlyPerformanceResponse,
  type ServiceAccountingResponse,
} from '@dcc/proto';
import { stringify } from 'csv-stringify/sync';

/**
 * The reports as CSV (RFC 4180, through csv-stringify): a header line, then one line per row. Performance: one
 * line per measure and SRV plus an "all" line per measure. Accounting: refusals per code as "E4:2;E19:1".
 */
export function performanceCsv(report: MonthlyPerformanceResponse): string {
  const lines: unknown[][] = [];
  for (const m of report.measures) {
    const measure = m.measure === PerformanceMeasure.PERFORMANCE_MEASURE_ON_DEMAND ? 1 : 2;
    for (const { serviceReferenceVariant, share } of [
      { serviceReferenceVariant: 'all', share: m.total },
      ...m.srvs,
    ]) {
      lines.push([
        report.month,
        measure,
        serviceReferenceVariant,
        share?.responses ?? 0,
        share?.withinTrt ?? 0,
        share?.shareWithinTrt ?? 0,
      ]);
    }
  }
  return stringify(lines, {
    header: true,
    columns: ['month', 'measure', 'srv', 'responses', 'within_trt', 'share_within_trt'],
  });
}

export function accountingCsv(report: ServiceAccountingResponse): string {
  return stringify(
    report.rows.map((r) => [
      report.month,
      r.userId,
      r.serviceReferenceVariant,
      r.accepted,
      r.refused,
      r.refusals.map((x) => `${x.responseCode}:${x.count}`).join(';'),
      r.responsesDelivered,
    ]),
    {
      header: true,
      columns: ['month', 'user_id', 'srv', 'accepted', 'refused', 'refusals', 'responses_delivered'],
    },
  );
}
