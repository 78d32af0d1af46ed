import { requestTyped, subjects, type Requester } from '@dcc/bus';
import { DccError, GrpcStatus } from '@dcc/domain';
import {
  SavedDeviceLogReply,
  SavedDeviceLogRequest,
  type SavedDeviceLogEntry,
  type ServiceRequest,
} from '@dcc/proto';
import type { AdmittedRequest } from './admission.js';

/** Where the saved device logs are kept: registration's inventory, asked over NATS (or a table in unit tests). */
export type SavedDeviceLogs = (request: SavedDeviceLogRequest) => Promise<SavedDeviceLogReply>;

/** Asks registration (`dcc.registration.device.log`); no answer in time is UNAVAILABLE, nothing stored. */
export function natsSavedDeviceLogs(requester: Requester, timeoutMs: number): SavedDeviceLogs {
  return async (request) => {
    try {
      return await requestTyped(
        requester,
        subjects.registrationDeviceLog,
        { codec: SavedDeviceLogRequest, message: request },
        SavedDeviceLogReply,
        timeoutMs,
      );
    } catch (error) {
      throw DccError.unavailable(`registration unavailable: ${(error as Error).message}`);
    }
  };
}

/** Registration's refusal as the error the User hears: a DUIS code (E19, E11) or a gRPC status. */
function refusalOf(reply: SavedDeviceLogReply): DccError {
  switch (reply.refusal) {
    case 'E19':
    case 'E11':
      return DccError.duis(reply.refusal, reply.detail);
    case 'INVALID_ARGUMENT':
      return DccError.invalidArgument(reply.detail);
    case 'FAILED_PRECONDITION':
      return new DccError(GrpcStatus.FAILED_PRECONDITION, reply.detail);
    default:
      return DccError.internal(
        `registration refused a device log restore as "${reply.refusal}": ${reply.detail}`,
      );
  }
}

/**
 * 8.12.1 Restore HAN Device Log and 8.12.2 Restore GPF Device Log: the User names the old CHF or GPF, and the hub
 * fills in the device log it holds for it (the inventory's, registration is its owner) so the new device can
 * install it. Asked after the registration check of the target and before anything is stored, so every refusal
 * (old device unknown E19, not a CHF/GPF E11, the target itself, another premises', nothing saved) comes before
 * I99. Other requests pass unchanged.
 */
export async function fillSavedDeviceLog(
  logs: SavedDeviceLogs | undefined,
  admitted: Pick<AdmittedRequest, 'request' | 'id'>,
): Promise<ServiceRequest> {
  const { request } = admitted;
  const body = request.body;
  if (body?.$case !== 'restoreHanDeviceLog' && body?.$case !== 'restoreGpfDeviceLog') return request;
  if (!logs) throw DccError.unavailable('registration unavailable: no device log route configured');
  const oldDeviceId = body.$case === 'restoreHanDeviceLog' ? body.value.oldChfId : body.value.oldGpfId;
  const reply = await logs({
    serviceReferenceVariant: request.serviceReferenceVariant,
    newDeviceId: admitted.id.target,
    oldDeviceId,
  });
  if (reply.refusal !== '') throw refusalOf(reply);
  const savedEntries: SavedDeviceLogEntry[] = reply.entries;
  return body.$case === 'restoreHanDeviceLog'
    ? { ...request, body: { $case: body.$case, value: { oldChfId: oldDeviceId, savedEntries } } }
    : { ...request, body: { $case: body.$case, value: { oldGpfId: oldDeviceId, savedEntries } } };
}
