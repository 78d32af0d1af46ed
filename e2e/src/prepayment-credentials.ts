import { kaPublicKeyText } from '@dcc/domain';
import { createUtrn, DEFAULT_SUPPLIER_ID, DeviceKaKeys, type UtrnRequest } from '@dcc/meter';
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface TopUpKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/**
 * A test hub's prepayment credentials: a fresh top-up KA key pair per User (its public half registered in the
 * User's USERS entry, as `topUpKeyPem`), and a fresh KA provisioning secret for the simulated devices. A test
 * issues UTRNs as the supplier's own systems do: with the supplier's private top-up key and the device's public
 * KA key.
 */
export class PrepaymentCredentials {
  readonly devices: DeviceKaKeys;
  private readonly secret = randomBytes(32);
  private readonly topUpKeys = new Map<string, TopUpKeyPair>();

  constructor() {
    this.devices = new DeviceKaKeys(this.secret);
  }

  /**
   * Writes the device edge's files into `dir` (the KA provisioning secret; the development supplier's top-up
   * public key, which the simulated meters were installed with) and returns the adapters' settings for them.
   */
  deviceEdgeEnv(dir: string): Record<string, string> {
    const secret = join(dir, 'device-ka.secret');
    const topUp = join(dir, 'supplier.topup.pub');
    writeFileSync(secret, this.secret.toString('base64'), { mode: 0o600 });
    writeFileSync(topUp, this.topUpPublicKeyPem(DEFAULT_SUPPLIER_ID));
    return { DEVICE_KA_SECRET_FILE: secret, DEFAULT_SUPPLIER_TOP_UP_KEY_FILE: topUp };
  }

  topUpKeyPair(userId: string): TopUpKeyPair {
    let pair = this.topUpKeys.get(userId);
    if (!pair) this.topUpKeys.set(userId, (pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })));
    return pair;
  }

  topUpPublicKeyPem(userId: string): string {
    return this.topUpKeyPair(userId).publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }

  /** USERS (JSON) with each entry's `topUpKeyPem` set to this hub's key for it, unless the entry has one. */
  registerTopUpKeys(usersJson: string): string {
    const users = JSON.parse(usersJson) as { id: string; topUpKeyPem?: string }[];
    return JSON.stringify(users.map((u) => ({ topUpKeyPem: this.topUpPublicKeyPem(u.id), ...u })));
  }

  /** A registration feed line with its device's KA public key set, as the meter's installer registers it. */
  withKaPublicKey(line: string): string {
    const row = JSON.parse(line) as { device: { id: string; kaPublicKey?: string } };
    row.device.kaPublicKey = kaPublicKeyText(this.devices.keyPair(row.device.id).publicKey);
    return JSON.stringify(row);
  }

  /** A UTRN from `supplierId` for `deviceId`, made with their keys. */
  utrn(request: Omit<UtrnRequest, 'supplierTopUpKey' | 'devicePublicKey'>): string {
    return createUtrn({
      ...request,
      supplierTopUpKey: this.topUpKeyPair(request.supplierId).privateKey,
      devicePublicKey: this.devices.keyPair(request.deviceId).publicKey,
    });
  }
}
