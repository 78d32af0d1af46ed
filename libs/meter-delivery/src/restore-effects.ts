import type { DeviceLogRestoredReport, MeterCommand, ServiceResponse } from '@dcc/proto';

/** The restore an executed 8.12.x made on the new CHF or GPF, as registration is told it; undefined otherwise. */
export function deviceLogRestoredReportOf(
  command: MeterCommand,
  response: ServiceResponse,
): DeviceLogRestoredReport | undefined {
  if (response.responseCode !== 'I0' || !command.request) return undefined;
  if (response.body?.$case !== 'hanDeviceLogRestored') return undefined;
  return {
    serviceReferenceVariant: command.request.serviceReferenceVariant,
    newDeviceId: command.deviceId,
    oldDeviceId: response.body.value.oldDeviceId,
    requestId: command.request.requestId,
  };
}
