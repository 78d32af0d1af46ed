import { DccError, findSrv, GrpcStatus, parseRequestId, SIGNED_VARIANTS } from '@dcc/domain';
import type { MeterCommand } from '@dcc/proto';
import type { UntypedDeviceCommand } from '@dcc/meter';

/**
 * SRV families the DCO does not pass to a SMETS1 device through DUIS: 8 (commissioning, joining and HAN
 * management: a SMETS1 installation is migrated with its HAN, not commissioned through the hub) and 11
 * (firmware: SMETS1 firmware is the S1 service provider's business). A model, not a sourced list
 * (DCC-REFERENCE §3 leaves the DCO's rules unverified); everything else the hub routes to a SMETS1 device may
 * pass, and the device answers what it does not support itself.
 */
export const DCO_REFUSED_FAMILIES: ReadonlySet<string> = new Set(['8', '11']);

/**
 * What the DCO checks of the device call made of a stored command: its SRV, its device execution time, and
 * whether a supplier signature was verified for it (it asks only whether there is a signer).
 */
export type DcoCall = Pick<UntypedDeviceCommand, 'srv' | 'executionTimeMs'> & { signer?: unknown };

/** The outcome of one DCO check: passed, or refused with the reason the User is given. */
export type DcoVerdict = { passed: true } | { passed: false; error: DccError };

const refuse = (error: DccError): DcoVerdict => ({ passed: false, error });

/**
 * The Dual Control Organisation's own rules, independent of access control (it re-derives what it checks from
 * the command itself, never from access control's verdict):
 * - the command is for the device it is addressed to (RequestID target, device id) and is the SRV it says;
 * - the SRV exists, is a device SRV and is one the DCO passes to SMETS1 devices (E11 otherwise: the request
 *   is not compatible with the target device);
 * - a critical SRV arrives signed (command variant 5-7) with the signature already verified against the key
 *   the device trusts (the delivery library verifies it before the transport sees the command): otherwise
 *   PERMISSION_DENIED;
 * - a future-dated execution time is a real instant.
 * Refusals are final: the command never reaches the device and the User gets the refusal on its Responses.
 */
export function dcoCheck(stored: MeterCommand, command: DcoCall): DcoVerdict {
  const request = stored.request;
  if (!request) return refuse(DccError.invalidArgument('DCO refused: a command without a request'));
  let target: string;
  try {
    target = parseRequestId(request.requestId).target;
  } catch (error) {
    return refuse(DccError.invalidArgument(`DCO refused: ${(error as Error).message}`));
  }
  if (target !== stored.deviceId) {
    return refuse(
      DccError.invalidArgument(`DCO refused: RequestID targets ${target}, the command ${stored.deviceId}`),
    );
  }
  if (command.srv !== request.serviceReferenceVariant) {
    return refuse(
      DccError.invalidArgument(
        `DCO refused: device call ${command.srv} is not the requested SRV ${request.serviceReferenceVariant}`,
      ),
    );
  }
  const srv = findSrv(request.serviceReferenceVariant);
  if (!srv || srv.nonDevice) {
    return refuse(
      DccError.invalidArgument(`DCO refused: ${request.serviceReferenceVariant} is no device SRV`),
    );
  }
  if (DCO_REFUSED_FAMILIES.has(srv.srv.split('.')[0]!)) {
    return refuse(DccError.duis('E11', `DCO refused: SRV ${srv.srv} is not passed to SMETS1 devices`));
  }
  if (srv.critical && (!SIGNED_VARIANTS.has(request.commandVariant) || !command.signer)) {
    return refuse(
      new DccError(
        GrpcStatus.PERMISSION_DENIED,
        `DCO refused: critical SRV ${srv.srv} without a verified supplier signature`,
      ),
    );
  }
  if (command.executionTimeMs !== undefined && !Number.isFinite(command.executionTimeMs)) {
    return refuse(DccError.invalidArgument('DCO refused: execution time is not an instant'));
  }
  return { passed: true };
}
