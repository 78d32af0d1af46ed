import { DccError, parseCalendarMonth, parseEui64 } from '@dcc/domain';
import {
  ReportKind,
  type ExportCsvRequest,
  type ExportCsvResponse,
  type MonthlyPerformanceRequest,
  type MonthlyPerformanceResponse,
  type ReportingServiceServer,
  type ServiceAccountingRequest,
  type ServiceAccountingResponse,
} from '@dcc/proto';
import { operatorUnary, type OperatorAccess } from '@dcc/service-kit';
import { accountingCsv, performanceCsv } from './csv.js';
import { monthlyPerformance, serviceAccounting } from './reports.js';
import type { TallyStore } from './tally-store.js';

/** dcc.v1.ReportingService: the reports, for operators only (mutual TLS, OPERATOR_IDS). */
export function reportingApi(store: TallyStore, access: OperatorAccess): ReportingServiceServer {
  const unary = operatorUnary(access);

  async function performance(month: string): Promise<MonthlyPerformanceResponse> {
    const parsed = parseCalendarMonth(month);
    return monthlyPerformance(parsed, await store.month(parsed));
  }

  async function accounting(month: string, user: string): Promise<ServiceAccountingResponse> {
    const parsed = parseCalendarMonth(month);
    const only = user === '' ? undefined : parseEui64(user, 'user_id');
    return serviceAccounting(parsed, await store.month(parsed), only);
  }

  return {
    monthlyPerformance: unary((request: MonthlyPerformanceRequest) => performance(request.month)),
    serviceAccounting: unary((request: ServiceAccountingRequest) =>
      accounting(request.month, request.userId),
    ),
    exportCsv: unary(async (request: ExportCsvRequest): Promise<ExportCsvResponse> => {
      switch (request.report) {
        case ReportKind.REPORT_KIND_MONTHLY_PERFORMANCE:
          return { csv: performanceCsv(await performance(request.month)) };
        case ReportKind.REPORT_KIND_SERVICE_ACCOUNTING:
          return { csv: accountingCsv(await accounting(request.month, request.userId)) };
        default:
          throw DccError.invalidArgument('report: name the monthly performance or the service accounting');
      }
    }),
  };
}
