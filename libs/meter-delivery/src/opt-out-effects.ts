import { requestTyped, subjects, type Requester } from '@dcc/bus';
import { ServiceOptOutReply, ServiceOptOutReport, type MeterCommand, type ServiceResponse } from '@dcc/proto';
import type { InventoryEffects } from './inventory-links.js';

/** The opt-out an executed 8.5 makes, as registration is told it; undefined for any other answer. */
export function optOutReportOf(
  command: MeterCommand,
  response: ServiceResponse,
): ServiceOptOutReport | undefined {
  if (response.responseCode !== 'I0' || !command.request) return undefined;
  if (response.body?.$case !== 'serviceOptedOut') return undefined;
  return { deviceId: command.deviceId, requestId: command.request.requestId };
}

/**
 * An executed 8.5 Service Opt Out is reported to registration (`dcc.registration.opt.out`) before its I0 is stored,
 * so an I0 means the inventory records the device Withdrawn; a failure fails the command's turn and the report is
 * sent again (as the HAN links are, inventory-links.ts).
 */
export function optOutEffects(requester: Requester, timeoutMs = 5_000): InventoryEffects {
  return async (command, response, trace) => {
    const report = optOutReportOf(command, response);
    if (!report) return;
    await requestTyped(
      requester,
      subjects.registrationOptOut,
      { codec: ServiceOptOutReport, message: report },
      ServiceOptOutReply,
      timeoutMs,
      trace,
    );
  };
}

/** Every effect in turn (the HAN links, the opt-outs): one command's answer reports what it changed. */
export const allEffects =
  (...effects: InventoryEffects[]): InventoryEffects =>
  async (command, response, trace) => {
    for (const effect of effects) await effect(command, response, trace);
  };
