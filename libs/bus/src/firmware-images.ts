import { DccError } from '@dcc/domain';
import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { jetStreamReplicas } from './replicas.js';

/** The JetStream KV bucket holding each accepted firmware image once, keyed by its SHA-256. */
export const FIRMWARE_IMAGES_BUCKET = 'firmware_images';

/**
 * Header of a device's mail (METER_MAIL) that is a firmware transfer (dcc.v1.FirmwareTransfer: the device's
 * Communications Hub forwards an image) rather than a User's command; its value is "1".
 */
export const FIRMWARE_TRANSFER_HEADER = 'Dcc-Firmware-Transfer';

/** Whether a device's mail is a firmware transfer. */
export function isFirmwareTransferMail(headers: { get(name: string): string } | undefined): boolean {
  return headers?.get(FIRMWARE_TRANSFER_HEADER) === '1';
}

/**
 * The hub's firmware images (11.1, 11.4): stored once by access control before it accepts the request, read by
 * the meter adapters when a device's Communications Hub forwards one. Keyed by hash, so the same image sent for
 * many devices, or sent again, is one entry; devices and their mail only name the hash.
 */
export class FirmwareImageStore {
  private constructor(private readonly kv: KV) {}

  static async open(nc: NatsConnection): Promise<FirmwareImageStore> {
    const kv = await new Kvm(nc).create(FIRMWARE_IMAGES_BUCKET, {
      history: 1,
      replicas: jetStreamReplicas(),
    });
    return new FirmwareImageStore(kv);
  }

  /** Stores an image under its hash (lower-case hex); an image already there is left as it is. */
  async put(hash: string, image: Uint8Array): Promise<void> {
    const key = keyOf(hash);
    if ((await this.kv.get(key))?.operation === 'PUT') return;
    await this.kv.put(key, image);
  }

  /** The image with this hash, or undefined when the hub holds none. */
  async get(hash: string): Promise<Uint8Array | undefined> {
    const entry = await this.kv.get(keyOf(hash));
    return entry?.operation === 'PUT' ? entry.value : undefined;
  }
}

const HASH = /^[0-9a-f]{64}$/;

function keyOf(hash: string): string {
  const key = hash.toLowerCase();
  if (!HASH.test(key))
    throw DccError.invalidArgument(`a firmware image key is a SHA-256 (64 hex), not ${hash}`);
  return key;
}
