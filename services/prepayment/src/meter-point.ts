import { requestTyped, subjects, type Requester } from '@dcc/bus';
import { DccError, GrpcStatus } from '@dcc/domain';
import {
  DevicePartiesRequest,
  DevicePartiesResponse,
  ReadInventoryRequest,
  ReadInventoryResponse,
  SmiDeviceStatus,
} from '@dcc/proto';
import type { CustomerPoint } from './customer.js';

/** What registration says about a meter point at the moment a payment is taken. */
export interface MeterPointFacts {
  /** The point's meter (ESME or GSME) in the inventory; undefined when none is installed. */
  meter?: { deviceId: string; status: SmiDeviceStatus; kaPublicKey: Uint8Array };
  /** The registered import supplier (electricity) or gas supplier now; '' when none is appointed. */
  supplierId: string;
}

const TIMEOUT_MS = 2_000;
const METER_TYPE = { electricity: 'ESME', gas: 'GSME' } as const;

/**
 * Asks registration over NATS (as access control does for every request): the point's devices
 * (`dcc.registration.inventory.read`, the SRV 8.2 answer), then who supplies the meter now
 * (`dcc.registration.parties`). No answer is UNAVAILABLE: nothing is issued on a guess.
 */
export async function resolveMeterPoint(
  requester: Requester,
  point: CustomerPoint,
): Promise<MeterPointFacts> {
  const inventory = await ask(() =>
    requestTyped(
      requester,
      subjects.registrationInventoryRead,
      { codec: ReadInventoryRequest, message: { deviceId: '', mpxn: point.mpxn } },
      ReadInventoryResponse,
      TIMEOUT_MS,
    ),
  );
  const device = inventory.devices.find(
    (d) => d.deviceType === METER_TYPE[point.fuel] && d.mpxn === point.mpxn,
  );
  if (!device) return { supplierId: '' };
  const parties = await ask(() =>
    requestTyped(
      requester,
      subjects.registrationParties,
      { codec: DevicePartiesRequest, message: { deviceId: device.deviceId, instantMs: 0 } },
      DevicePartiesResponse,
      TIMEOUT_MS,
    ),
  );
  return {
    meter: { deviceId: device.deviceId, status: device.status, kaPublicKey: device.kaPublicKey },
    supplierId: parties.known ? parties.supplierId : '',
  };
}

async function ask<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    const e = DccError.from(error);
    // A refusal registration answered (e.g. an unknown point) stays what it is; silence is UNAVAILABLE.
    if (e.status === GrpcStatus.NOT_FOUND || e.status === GrpcStatus.INVALID_ARGUMENT) throw e;
    throw new DccError(GrpcStatus.UNAVAILABLE, `registration unavailable: ${e.message}`);
  }
}
