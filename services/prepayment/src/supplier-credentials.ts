import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One supplier's credentials this service acts with. */
export interface SupplierCredentials {
  id: string;
  /** The supplier's prepayment top-up KA private key (EC P-256): what its UTRNs are made with. */
  topUpKey: KeyObject;
  /** Its client certificate and key for access control's mutual TLS; absent on a plaintext hub. */
  tls?: { certificate: Buffer; privateKey: Buffer };
}

/**
 * Reads each served supplier's credentials from `dir` (the development PKI's users/ layout: `<id>.topup.key`,
 * `<id>.pem`, `<id>.key`). A supplier whose top-up key is missing stops the start: the service must not take
 * payments it cannot issue for.
 */
export function readSupplierCredentials(
  dir: string,
  ids: Iterable<string>,
  mutualTls: boolean,
): Map<string, SupplierCredentials> {
  const read = (file: string, what: string): Buffer => {
    try {
      return readFileSync(join(dir, file));
    } catch (error) {
      throw new Error(`cannot read ${what} ${join(dir, file)}: ${(error as Error).message}`);
    }
  };
  const suppliers = new Map<string, SupplierCredentials>();
  for (const id of ids) {
    const topUpKey = createPrivateKey(read(`${id}.topup.key`, `supplier ${id}'s top-up key`));
    if (topUpKey.asymmetricKeyType !== 'ec' || topUpKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
      throw new Error(`supplier ${id}'s top-up key is not an EC P-256 key`);
    }
    const tls = mutualTls
      ? { certificate: read(`${id}.pem`, 'certificate of'), privateKey: read(`${id}.key`, 'TLS key of') }
      : undefined;
    suppliers.set(id, { id, topUpKey, ...(tls ? { tls } : {}) });
  }
  return suppliers;
}
