import type { MeterCommand, ServiceOptOutReport, ServiceResponse } from '@dcc/proto';

/** The opt-out an executed 8.5 makes, as registration is told it; undefined for any other answer. */
export function optOutReportOf(
  command: MeterCommand,
  response: ServiceResponse,
): ServiceOptOutReport | undefined {
  if (response.responseCode !== 'I0' || !command.request) return undefined;
  if (response.body?.$case !== 'serviceOptedOut') return undefined;
  return { deviceId: command.deviceId, requestId: command.request.requestId };
}
