import {
  buildUtrn,
  decodeUtrn,
  UTRN_MAX_VALUE,
  utrnAuthenticator,
  type UtrnFields,
  type UtrnValueClass,
} from '@dcc/domain';
import { DEVELOPMENT_KA_KEYS, developmentKaKeyPair } from './dev-ka-keys.js';
import type { KaKeySource } from './ka-key-source.js';

/**
 * UTRN making and verification as a supplier's top-up tool and a device do them. Format, check digit and tag
 * are GBCS's (libs/domain utrn-format.ts, utrn-tag.ts). Faithful here: the counter rules (low 32 bits zero,
 * strictly increasing per supplier and device, full counter inferred from the 10 bits it carries).
 * Keys: verification takes them from the device's KaKeySource (its profile). createUtrn, the simulated supplier's
 * top-up tool, and the default source use development keys derived from the ids (dev-ka-keys.ts), so any UTRN
 * made here verifies on a default simulated meter; a meter configured with real keys accepts only UTRNs made
 * with the matching supplier private key (buildUtrn in libs/domain).
 */
const BLOCK = 1n << 42n;
const MAX_COUNTER = (1n << 64n) - 1n;
export const MAX_UTRN_VALUE = UTRN_MAX_VALUE;
export { decodeUtrn, PPTD_OFFSET, type UtrnFields, type UtrnValueClass } from '@dcc/domain';

export function utrnAmountPence(fields: Pick<UtrnFields, 'valueClass' | 'value'>): number {
  return fields.valueClass === 'pennies' ? fields.value : fields.value * 100;
}

export interface UtrnRequest {
  supplierId: string;
  deviceId: string;
  /** Originator counter: low 32 bits zero, above every earlier top-up's for this supplier and device. */
  counter: bigint;
  /** Amount; pence up to 8191, otherwise whole pounds up to 8191. */
  pence: number;
}

/** Makes a UTRN as the supplier's top-up system would, with the supplier's development top-up KA key. */
export function createUtrn({ supplierId, deviceId, counter, pence }: UtrnRequest): string {
  const pounds = pence > MAX_UTRN_VALUE;
  const value = pounds ? pence / 100 : pence;
  const auth = utrnAuthenticator(
    developmentKaKeyPair('supplier-top-up', supplierId).privateKey,
    developmentKaKeyPair('device', deviceId).publicKey,
  );
  return buildUtrn(auth, {
    originator: supplierId,
    target: deviceId,
    counter,
    valueClass: pounds ? 'pounds' : 'pennies',
    value,
  });
}

/** The counters a UTRN can stand for given the high-water mark: the next one above it, and the last one at or below. */
export function candidateCounters(
  counterBits: number,
  highWaterMark: bigint,
): { next: bigint; previous?: bigint } {
  const low = BigInt(counterBits) << 32n;
  let next = (highWaterMark / BLOCK) * BLOCK + low;
  if (next <= highWaterMark) next += BLOCK;
  const previous = next - BLOCK;
  return previous > 0n ? { next, previous } : { next };
}

export type UtrnVerdict =
  | { status: 'accepted'; counter: bigint; pence: number; valueClass: UtrnValueClass }
  | { status: 'duplicate'; counter: bigint }
  | { status: 'not-authentic'; detail: string };

/**
 * Validates a UTRN for (supplier, device) against the top-up high-water mark, as the meter does with its own
 * KA private key and the supplier's top-up KA public key: structure and check digit, then the tag for the next
 * counter the 10 bits allow (accepted), else for the last one at or below the mark (a replay: duplicate), else
 * not authentic (wrong supplier, device, or altered digits).
 */
export function verifyUtrn(
  utrn: string,
  supplierId: string,
  deviceId: string,
  highWaterMark: bigint,
  keys: KaKeySource = DEVELOPMENT_KA_KEYS,
): UtrnVerdict {
  const fields = decodeUtrn(utrn);
  if (!fields) return { status: 'not-authentic', detail: 'check digit or structure is wrong' };
  const supplierKey = keys.supplierTopUpPublicKey(supplierId);
  if (!supplierKey) {
    return { status: 'not-authentic', detail: `the device holds no top-up key for supplier ${supplierId}` };
  }
  const auth = utrnAuthenticator(keys.devicePrivateKey(deviceId), supplierKey);
  const { next, previous } = candidateCounters(fields.counterBits, highWaterMark);
  if (next <= MAX_COUNTER && auth.tag(supplierId, deviceId, next, fields.highWord) === fields.tag) {
    return {
      status: 'accepted',
      counter: next,
      pence: utrnAmountPence(fields),
      valueClass: fields.valueClass,
    };
  }
  if (previous !== undefined && auth.tag(supplierId, deviceId, previous, fields.highWord) === fields.tag) {
    return { status: 'duplicate', counter: previous };
  }
  return { status: 'not-authentic', detail: 'authentication tag does not match' };
}
