import type { Eui64 } from '@dcc/domain';
import type { MeterCommand, ServiceResponse } from '@dcc/proto';
import { verifyCriticalCommand, type SupplierKeys } from './critical-verification.js';
import type { DeviceTransport } from './device-transport.js';
import { recallAnswer, rememberAnswer, type RecentAnswers } from './recent-answers.js';
import { deviceCallOf } from './srv-params.js';
import { responseOf } from './srv-results.js';

/** An active device: the transport's link to it, whether that differs from the stored one, its latest answers. */
export interface DeviceSession<L> {
  deviceId: Eui64;
  link: L;
  dirty: boolean;
  /** The last few answers by stored command (recent-answers.ts); none until the device has answered. */
  recent?: RecentAnswers;
}

export function openSession<L>(
  transport: DeviceTransport<L>,
  deviceId: Eui64,
  stored: Uint8Array | undefined,
): DeviceSession<L> | undefined {
  const link = transport.open(deviceId, stored);
  return link === undefined ? undefined : { deviceId, link, dirty: false, recent: undefined };
}

/**
 * One command on its device, inside the device actor's turn: the body becomes the device call (srv-params.ts),
 * a critical command is verified against the key the device trusts (critical-verification.ts), the transport
 * delivers it, and the device's answer becomes the User's response (srv-results.ts).
 */
export async function runOnDevice<L>(
  session: DeviceSession<L>,
  command: MeterCommand,
  transport: DeviceTransport<L>,
  supplierKeys: SupplierKeys,
  clock: () => number,
): Promise<ServiceResponse> {
  const request = command.request!;
  // Keyed by the stored command (RequestID and acceptance instant): a replay of the RequestID is a new command
  // the device refuses, not a redelivery.
  const earlier = recallAnswer(session.recent, request.requestId, command.acceptedAtMs);
  if (earlier) return earlier;
  // Critical SRVs: the signature must verify with the supplier key this device trusts.
  const { request: verified, signer } = verifyCriticalCommand(
    { deviceId: session.deviceId, trusted: transport.trustedSupplier(session.link) },
    request,
    supplierKeys,
  );
  const call = deviceCallOf(verified);
  let result;
  try {
    result = await transport.send(
      session.link,
      {
        srv: request.serviceReferenceVariant,
        params: call.params,
        requestId: request.requestId,
        ...(call.executionTimeMs === undefined ? {} : { executionTimeMs: call.executionTimeMs }),
        ...(signer ? { signer } : {}),
      },
      command,
    );
  } catch (error) {
    // A refused command changes nothing but what the passage of time changed (alerts kept for the next
    // answer, credit settled): keep that too.
    session.dirty = true;
    throw error;
  }
  if (result.stateChanged) session.dirty = true;
  const response = responseOf(request, result, clock());
  session.recent = rememberAnswer(session.recent, command.acceptedAtMs, response);
  return response;
}
