import { DccError, imageHashOf } from '@dcc/domain';
import type { DeviceAlert } from '@dcc/meter';
import type { FirmwareTransfer } from '@dcc/proto';
import type { DeviceTransport } from './device-transport.js';

/** Where the adapter reads the images the hub keeps (@dcc/bus FirmwareImageStore). */
export interface FirmwareImageSource {
  get(hash: string): Promise<Uint8Array | undefined>;
}

/**
 * Who distributes firmware (11.1, 11.4): access control checks the image and each device before it accepts the
 * request, keeps the image once, and mails each device a FirmwareTransfer naming the image by hash; the carrying
 * is this library's, in the device's actor, because the image travels the device's own path (its generation's
 * adapter, its comms hub) in turn with the commands on that path: an 11.3 sent after the transfer finds the image.
 * The adapter reads the image from the store and checks it is the one named (SHA-256, as the Communications Hub
 * checks what it received) before the device takes it; a missing or damaged image is a failed transfer
 * (0x8F89), a good one a succeeded transfer (0x8F8A) with the device holding the image's hash and version only.
 * Each alert carries the 11.1's RequestID so the alert router sends it to that User (the dispatching table).
 */
export async function transferFirmware<L>(
  transport: DeviceTransport<L>,
  link: L,
  transfer: FirmwareTransfer,
  images: FirmwareImageSource | undefined,
): Promise<DeviceAlert[]> {
  if (!transport.firmwareTransfer) {
    throw DccError.invalidArgument(`device ${transfer.deviceId} takes no firmware transfers here`);
  }
  const image = await images?.get(transfer.imageHash);
  const whole = image !== undefined && imageHashOf(image) === transfer.imageHash.toLowerCase();
  const alerts = transport.firmwareTransfer(
    link,
    whole ? { imageHash: transfer.imageHash, version: transfer.firmwareVersion } : undefined,
    transfer.deviceType,
  );
  return alerts.map((alert) => ({ ...alert, requestId: transfer.requestId }));
}
