import { requestTyped, subjects, type Requester } from '@dcc/bus';
import {
  DeviceLogRestoredReply,
  DeviceLogRestoredReport,
  type MeterCommand,
  type ServiceResponse,
} from '@dcc/proto';
import type { InventoryEffects } from './inventory-links.js';

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

/**
 * An executed 8.12.x Restore HAN / GPF Device Log is reported to registration (`dcc.registration.device.log.restored`)
 * before its I0 is stored, so an I0 means the old device's links have moved to the new one; a failure fails the
 * command's turn and the report is sent again (as the HAN links are, inventory-links.ts).
 */
export function deviceLogRestoredEffects(requester: Requester, timeoutMs = 5_000): InventoryEffects {
  return async (command, response, trace) => {
    const report = deviceLogRestoredReportOf(command, response);
    if (!report) return;
    await requestTyped(
      requester,
      subjects.registrationDeviceLogRestored,
      { codec: DeviceLogRestoredReport, message: report },
      DeviceLogRestoredReply,
      timeoutMs,
      trace,
    );
  };
}
