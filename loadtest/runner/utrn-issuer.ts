import { readFileSync } from 'node:fs';
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { createUtrn, DeviceKaKeys } from '@dcc/meter';
import type { PkiFiles } from '@dcc/pki';

/**
 * The suppliers' (simulated) top-up systems of a load test: UTRNs made with the supplier's top-up KA private key
 * from the PKI directory and the device's KA public key. A supplier's system would read the device's public key
 * from the inventory; the load generator derives it from the device provisioning secret of the same PKI
 * directory, which gives the same key without a lookup per top-up.
 */
export class UtrnIssuer {
  private readonly devices: DeviceKaKeys;
  private readonly supplierKeys = new Map<string, KeyObject>();

  constructor(private readonly pki: PkiFiles) {
    this.devices = new DeviceKaKeys(Buffer.from(readFileSync(pki.deviceKaSecret, 'utf8').trim(), 'base64'));
  }

  utrn(supplierId: string, deviceId: string, counter: bigint, pence: number): string {
    let key = this.supplierKeys.get(supplierId);
    if (!key) {
      key = createPrivateKey(readFileSync(this.pki.userTopUpKey(supplierId), 'utf8'));
      this.supplierKeys.set(supplierId, key);
    }
    const devicePublicKey = this.devices.keyPair(deviceId).publicKey;
    return createUtrn({ supplierId, deviceId, supplierTopUpKey: key, devicePublicKey, counter, pence });
  }
}
