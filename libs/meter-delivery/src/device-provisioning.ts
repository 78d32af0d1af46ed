import { DccError, normaliseKaPublicKey } from '@dcc/domain';
import { DEFAULT_SIGNING_KEY_ID, DEFAULT_SUPPLIER_ID, DeviceKaKeys, type MeterOptions } from '@dcc/meter';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * What the simulated devices at an adapter's edge were provisioned with at manufacture and installation, beyond
 * the CoS party's key: their key-agreement (KA) keys and the prepayment top-up key of the supplier they were
 * installed for. Configuration of the device edge only; the hub's services never read these files.
 */
export const deviceProvisioningConfig = {
  /**
   * The devices' KA provisioning secret (a file holding base64 of at least 32 bytes): each device's KA key pair
   * is derived from it and the device id (libs/meter DeviceKaKeys). Unset: the devices hold no KA key and credit
   * no UTRN (0x8F63).
   */
  DEVICE_KA_SECRET_FILE: z.string().min(1).optional(),
  /**
   * The prepayment top-up KA public key (SPKI PEM, EC P-256) of the supplier the simulated meters were installed
   * for (the development supplier); 6.23 (a new supplier) or 6.15.1 (the supplier rolling its own credentials)
   * replaces it. Unset: no top-up key until one of them installs one.
   */
  DEFAULT_SUPPLIER_TOP_UP_KEY_FILE: z.string().min(1).optional(),
};

interface ProvisioningSettings {
  DEVICE_KA_SECRET_FILE?: string | undefined;
  DEFAULT_SUPPLIER_TOP_UP_KEY_FILE?: string | undefined;
}

function read(file: string, setting: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw DccError.invalidArgument(`${setting} ${file}: ${(error as Error).message}`);
  }
}

/** The meter options the settings give (KA keys, the installed supplier's top-up key), and what is missing. */
export function deviceProvisioning(settings: ProvisioningSettings): {
  options: Pick<MeterOptions, 'kaKeys' | 'trustedSupplier'>;
  missing: string[];
} {
  const missing: string[] = [];
  let kaKeys: DeviceKaKeys | undefined;
  if (settings.DEVICE_KA_SECRET_FILE) {
    const secret = Buffer.from(read(settings.DEVICE_KA_SECRET_FILE, 'DEVICE_KA_SECRET_FILE'), 'base64');
    try {
      kaKeys = new DeviceKaKeys(secret);
    } catch (error) {
      throw DccError.invalidArgument(`DEVICE_KA_SECRET_FILE: ${(error as Error).message}`);
    }
  } else missing.push('DEVICE_KA_SECRET_FILE unset: meters hold no KA key and credit no UTRN');
  let topUpKey: string | null = null;
  if (settings.DEFAULT_SUPPLIER_TOP_UP_KEY_FILE) {
    const pem = read(settings.DEFAULT_SUPPLIER_TOP_UP_KEY_FILE, 'DEFAULT_SUPPLIER_TOP_UP_KEY_FILE');
    topUpKey = normaliseKaPublicKey(pem, 'DEFAULT_SUPPLIER_TOP_UP_KEY_FILE');
  } else missing.push('DEFAULT_SUPPLIER_TOP_UP_KEY_FILE unset: meters hold no top-up key until a 6.23');
  return {
    options: {
      kaKeys,
      trustedSupplier: { supplierId: DEFAULT_SUPPLIER_ID, keyId: DEFAULT_SIGNING_KEY_ID, topUpKey },
    },
    missing,
  };
}
