import {
  buildUtrn,
  decodeUtrn,
  parseKaPublicKey,
  UTRN_MAX_VALUE,
  utrnAuthenticator,
  type UtrnFields,
  type UtrnValueClass,
} from '@dcc/domain';
import type { KeyObject } from 'node:crypto';

/**
 * UTRN making and verification as a supplier's top-up tool and a device do them. Format, check digit and tag
 * are GBCS's (libs/domain utrn-format.ts, utrn-tag.ts). Faithful here: the counter rules (low 32 bits zero,
 * strictly increasing per supplier and device, full counter inferred from the 10 bits it carries).
 * Keys are credentials: the supplier issues with its prepayment top-up KA private key and the device's KA public
 * key (from the inventory); the device verifies with its own KA private key (device-ka-keys.ts) and the top-up
 * KA public key installed with its trusted supplier (profile, then 6.23).
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
  /** The supplier's prepayment top-up KA private key. */
  supplierTopUpKey: KeyObject;
  /** The device's KA public key (the inventory's). */
  devicePublicKey: KeyObject;
  /** Originator counter: low 32 bits zero, above every earlier top-up's for this supplier and device. */
  counter: bigint;
  /** Amount; pence up to 8191, otherwise whole pounds up to 8191. */
  pence: number;
}

/** Makes a UTRN as the supplier's top-up system does: pence up to 8191, whole pounds above. */
export function createUtrn(request: UtrnRequest): string {
  const { supplierId, deviceId, counter, pence } = request;
  const pounds = pence > MAX_UTRN_VALUE;
  const value = pounds ? pence / 100 : pence;
  const auth = utrnAuthenticator(request.supplierTopUpKey, request.devicePublicKey);
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

/** What a device verifies a UTRN with: its own KA private key and its trusted supplier's top-up KA key. */
export interface UtrnVerifierKeys {
  devicePrivateKey: KeyObject | undefined;
  /** base64 SPKI DER (TrustedSupplier.topUpKey), or null when none is installed. */
  supplierTopUpKey: string | null;
}

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
  keys: UtrnVerifierKeys,
): UtrnVerdict {
  const fields = decodeUtrn(utrn);
  if (!fields) return { status: 'not-authentic', detail: 'check digit or structure is wrong' };
  if (!keys.supplierTopUpKey) {
    return { status: 'not-authentic', detail: `the device holds no top-up key for supplier ${supplierId}` };
  }
  if (!keys.devicePrivateKey) {
    return { status: 'not-authentic', detail: 'the device holds no key-agreement key' };
  }
  const supplierKey = topUpKeyObject(keys.supplierTopUpKey);
  const auth = utrnAuthenticator(keys.devicePrivateKey, supplierKey);
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

/** Parsed top-up keys, by their text: a meter's key is parsed once, not per UTRN. */
const parsedKeys = new Map<string, KeyObject>();
const PARSED_KEYS_LIMIT = 1_024;

function topUpKeyObject(text: string): KeyObject {
  const known = parsedKeys.get(text);
  if (known) return known;
  const key = parseKaPublicKey(text, 'top-up key');
  if (parsedKeys.size >= PARSED_KEYS_LIMIT) parsedKeys.clear();
  parsedKeys.set(text, key);
  return key;
}
