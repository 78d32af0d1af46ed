import { imageHashOf, parseEui64 } from '@dcc/domain';
import { AlertCode, MeterDevice } from '@dcc/meter';
import type { FirmwareTransfer } from '@dcc/proto';
import { describe, expect, it } from 'vitest';
import type { DeviceTransport } from './device-transport.js';
import { transferFirmware } from './firmware-transfer.js';

const DEVICE = parseEui64('00-DB-12-00-00-00-00-07');
const clock = () => Date.UTC(2026, 0, 5, 12);
const IMAGE = new Uint8Array(Buffer.from('an image the hub keeps'));
const HASH = imageHashOf(IMAGE);
const REQUEST = '90-B3-D5-1F-30-01-00-00:90-B3-D5-1F-30-00-00-02:42';

/** Simulated meters, as an adapter's transport reaches them (the comms hub's forwarding is the transport's). */
const meters: DeviceTransport<MeterDevice> = {
  open: (id) => new MeterDevice(id, 0, clock),
  save: (meter) => meter.toBytes(),
  trustedSupplier: (meter) => meter.profile.trustedSupplier,
  send: (meter, command) => meter.run(command),
  nextWakeMs: (meter) => meter.nextWakeMs(),
  wake: (meter) => meter.advance().alerts,
  firmwareTransfer: (meter, image) =>
    (image ? meter.firmwareTransferred(image) : meter.firmwareTransferFailed()).alerts,
};

const transfer: FirmwareTransfer = {
  deviceId: DEVICE,
  imageHash: HASH,
  firmwareVersion: '02030000',
  requestId: REQUEST,
  userId: '90-B3-D5-1F-30-01-00-00',
  sentAtMs: clock(),
  deviceType: 'ESME',
};

const storeWith = (hash: string, image: Uint8Array) => ({
  get: (wanted: string) => Promise.resolve(wanted === hash ? image : undefined),
});

describe('a firmware transfer at the device (adapter side)', () => {
  it('an image the store holds whole is held by the device: 0x8F8A with the 11.1 RequestID', async () => {
    const meter = meters.open(DEVICE, undefined)!;
    const alerts = await transferFirmware(meters, meter, transfer, storeWith(HASH, IMAGE));
    expect(alerts.map((a) => [a.code, a.requestId])).toEqual([
      [AlertCode.FIRMWARE_TRANSFER_SUCCEEDED, REQUEST],
    ]);
    expect(meter.inspect().stagedImage).toEqual({ hash: HASH, version: '02030000' });
  });

  it.each([
    ['missing from the store', storeWith('00'.repeat(32), IMAGE)],
    ['damaged (its bytes no longer hash to the name)', storeWith(HASH, new Uint8Array([...IMAGE, 0]))],
    ['with no store at all', undefined],
  ])('an image %s is a failed transfer (0x8F89) and nothing is held', async (_what, store) => {
    const meter = meters.open(DEVICE, undefined)!;
    const alerts = await transferFirmware(meters, meter, transfer, store);
    expect(alerts.map((a) => [a.code, a.requestId])).toEqual([[AlertCode.FIRMWARE_TRANSFER_FAILED, REQUEST]]);
    expect(meter.inspect().stagedImage).toBeNull();
  });

  it('a transport whose devices take no firmware refuses the transfer (the mail is dropped)', async () => {
    const { firmwareTransfer: _none, ...without } = meters;
    await expect(
      transferFirmware(without, meters.open(DEVICE, undefined)!, transfer, storeWith(HASH, IMAGE)),
    ).rejects.toMatchObject({ message: expect.stringMatching(/takes no firmware transfers/) });
  });
});
