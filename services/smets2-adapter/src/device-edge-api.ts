import { randomUUID } from 'node:crypto';
import { subjects, type DurablePublisher } from '@dcc/bus';
import { DccError, GrpcStatus, parseEui64, partitionOf, type Eui64 } from '@dcc/domain';
import { authoriseOperator, KEYPAD_ENTRY_HEADER, type OperatorAccess } from '@dcc/meter-delivery';
import {
  KeypadDevice,
  MeterCommand,
  type DeviceEdgeServiceServer,
  type KeyInUtrnRequest,
  type KeyInUtrnResponse,
} from '@dcc/proto';
import { MalformedMessage, toServiceError } from '@dcc/service-kit';
import type { sendUnaryData, ServerUnaryCall } from '@grpc/grpc-js';

/** Longest text the keypad takes: a UTRN is 20 digits; more is refused before it reaches the device. */
const MAX_TYPED = 32;

/**
 * The device edge of the SMETS2 adapter's simulated meters, for operators: a consumer keys a UTRN in. The entry
 * goes onto the device's own mail (METER_MAIL, `dcc.meter.s2.<partition>.<device>`), so the device's actor runs
 * it between commands, one at a time, on the state its WAN commands see: a UTRN credited one way is a
 * duplicate the other way. Answered once the entry is stored; the device's alerts follow on ALERTS.
 */
export function deviceEdgeApi(parts: {
  fleet: { find(deviceId: Eui64): unknown };
  partitions: number;
  publisher: DurablePublisher;
  access: OperatorAccess;
  clock?: () => number;
}): DeviceEdgeServiceServer {
  const { fleet, partitions, publisher, access } = parts;
  const clock = parts.clock ?? Date.now;
  const keyIn = async (request: KeyInUtrnRequest): Promise<KeyInUtrnResponse> => {
    const deviceId = parseEui64(request.deviceId, 'device_id');
    if (!fleet.find(deviceId)) {
      throw new DccError(GrpcStatus.NOT_FOUND, `device ${deviceId} is not a meter of this adapter's fleet`);
    }
    if (request.utrn.length > MAX_TYPED) {
      throw DccError.invalidArgument(`utrn: at most ${MAX_TYPED} characters can be keyed in`);
    }
    const entryId = randomUUID();
    const command: MeterCommand = {
      request: undefined,
      userId: '',
      deviceId,
      acceptedAtMs: clock(),
      keypadEntry: {
        utrn: request.utrn,
        via:
          request.via === KeypadDevice.KEYPAD_DEVICE_PPMID
            ? KeypadDevice.KEYPAD_DEVICE_PPMID
            : KeypadDevice.KEYPAD_DEVICE_METER,
        entryId,
        keyedAtMs: clock(),
      },
    };
    const subject = subjects.meterMail('s2', partitionOf(deviceId, partitions), deviceId);
    await publisher.publish(subject, MeterCommand, command, `keypad:${entryId}`, undefined, {
      [KEYPAD_ENTRY_HEADER]: '1',
    });
    return { entryId };
  };
  return {
    keyInUtrn(
      call: ServerUnaryCall<KeyInUtrnRequest, KeyInUtrnResponse>,
      callback: sendUnaryData<KeyInUtrnResponse>,
    ) {
      void (async () => {
        authoriseOperator(call, access);
        const request: unknown = call.request;
        if (request instanceof MalformedMessage) throw request.error();
        return keyIn(call.request);
      })().then(
        (reply) => callback(null, reply),
        (error: unknown) => callback(toServiceError(error)),
      );
    },
  };
}
