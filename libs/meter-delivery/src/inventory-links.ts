import { requestTyped, subjects, type Requester } from '@dcc/bus';
import { HanLinkReply, HanLinkReport, type MeterCommand, type ServiceResponse } from '@dcc/proto';
import type { Context } from '@opentelemetry/api';

/** Tells registration what an executed command changed in the inventory, before its response is stored. */
export type InventoryEffects = (
  command: MeterCommand,
  response: ServiceResponse,
  trace: Context,
) => Promise<void>;

/**
 * The HAN link an executed join or unjoin (8.7.x, 8.8.x) makes or breaks, as registration is told it; undefined
 * for any other answer (another SRV, or a join the device refused).
 */
export function hanLinkReportOf(command: MeterCommand, response: ServiceResponse): HanLinkReport | undefined {
  const body = response.body;
  if (response.responseCode !== 'I0' || !command.request) return undefined;
  if (body?.$case !== 'serviceJoined' && body?.$case !== 'serviceUnjoined') return undefined;
  return {
    deviceId: command.deviceId,
    otherDeviceId: body.value.otherDeviceId,
    joined: body.$case === 'serviceJoined',
    requestId: command.request.requestId,
  };
}

/**
 * The device edge's side of keeping the inventory true: an executed join or unjoin is reported to registration
 * (`dcc.registration.han.links`) before its I0 is stored, so an I0 means the inventory follows. A failure (the
 * bus or registration unavailable) fails the command's turn: it runs again, the device answers it from its
 * memory without executing it twice, and the report is sent again (registration applies it once).
 */
export function hanLinkEffects(requester: Requester, timeoutMs = 5_000): InventoryEffects {
  return async (command, response, trace) => {
    const report = hanLinkReportOf(command, response);
    if (!report) return;
    await requestTyped(
      requester,
      subjects.registrationHanLinks,
      { codec: HanLinkReport, message: report },
      HanLinkReply,
      timeoutMs,
      trace,
    );
  };
}
