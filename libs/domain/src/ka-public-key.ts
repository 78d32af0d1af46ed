import { createPublicKey, type KeyObject } from 'node:crypto';
import { DccError } from './dcc-error.js';

/*
 * A key-agreement (KA) public key as it travels between parties: EC P-256, SubjectPublicKeyInfo DER, base64 in
 * text (the User directory, the inventory, a 6.23 swap's signed bytes). The hub's CoS party, the device model
 * and the prepayment service all read and write it here, so they agree on one spelling of one key.
 */
const P256 = 'prime256v1';
const MAX_TEXT = 256;

/** The key as base64 SPKI DER. */
export function kaPublicKeyText(key: KeyObject): string {
  return key.export({ type: 'spki', format: 'der' }).toString('base64');
}

/** Reads a KA public key (base64 SPKI DER, or PEM); anything that is not an EC P-256 public key is refused. */
export function parseKaPublicKey(text: string, field = 'key-agreement public key'): KeyObject {
  if (text.length === 0 || text.length > 4 * MAX_TEXT) {
    throw DccError.invalidArgument(`${field} must be an EC P-256 public key (base64 SPKI DER or PEM)`);
  }
  let key: KeyObject;
  try {
    key = text.includes('-----BEGIN')
      ? createPublicKey(text)
      : createPublicKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'spki' });
  } catch {
    throw DccError.invalidArgument(`${field} is not a public key (base64 SPKI DER or PEM)`);
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== P256) {
    throw DccError.invalidArgument(`${field} must be an EC P-256 key`);
  }
  return key;
}

/** The canonical text (base64 SPKI DER) of a key given as base64 DER or PEM. */
export function normaliseKaPublicKey(text: string, field?: string): string {
  return kaPublicKeyText(parseKaPublicKey(text, field));
}
