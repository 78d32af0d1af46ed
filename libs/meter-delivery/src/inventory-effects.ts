import { requestTyped, subjects, type Codec, type Requester } from '@dcc/bus';
import {
  DeviceLogRestoredReply,
  DeviceLogRestoredReport,
  HanLinkReply,
  HanLinkReport,
  ServiceOptOutReply,
  ServiceOptOutReport,
  type MeterCommand,
  type ServiceResponse,
} from '@dcc/proto';
import type { Context } from '@opentelemetry/api';
import { hanLinkReportOf } from './inventory-links.js';
import { optOutReportOf } from './opt-out-effects.js';
import { deviceLogRestoredReportOf } from './restore-effects.js';

/** Tells registration what an executed command changed in the inventory, before its response is stored. */
export type InventoryEffects = (
  command: MeterCommand,
  response: ServiceResponse,
  trace: Context,
) => Promise<void>;

/**
 * One kind of inventory change: the report an executed command makes (undefined when it changed nothing of this
 * kind), sent to registration on `subject` and answered there.
 */
function reported<R, A>(
  subject: string,
  report: Codec<R>,
  reply: Codec<A>,
  reportOf: (command: MeterCommand, response: ServiceResponse) => R | undefined,
) {
  return (requester: Requester, timeoutMs: number): InventoryEffects =>
    async (command, response, trace) => {
      const message = reportOf(command, response);
      if (message === undefined) return;
      await requestTyped(requester, subject, { codec: report, message }, reply, timeoutMs, trace);
    };
}

/** Every kind of change a device edge reports: HAN joins and unjoins, opt-outs, restored device logs. */
const KINDS = [
  reported(subjects.registrationHanLinks, HanLinkReport, HanLinkReply, hanLinkReportOf),
  reported(subjects.registrationOptOut, ServiceOptOutReport, ServiceOptOutReply, optOutReportOf),
  reported(
    subjects.registrationDeviceLogRestored,
    DeviceLogRestoredReport,
    DeviceLogRestoredReply,
    deviceLogRestoredReportOf,
  ),
];

/**
 * The device edge's side of keeping the inventory true: what an executed command changed (a HAN join or unjoin,
 * 8.7.x/8.8.x; an opt-out, 8.5; a restored device log, 8.12.x) is reported to registration before its I0 is
 * stored, so an I0 means the inventory follows. A failure (the bus or registration unavailable) fails the
 * command's turn: it runs again, the device answers it from its memory without executing it twice, and the
 * report is sent again (registration applies it once).
 */
export function inventoryEffects(requester: Requester, timeoutMs = 5_000): InventoryEffects {
  const effects = KINDS.map((kind) => kind(requester, timeoutMs));
  return async (command, response, trace) => {
    for (const effect of effects) await effect(command, response, trace);
  };
}
