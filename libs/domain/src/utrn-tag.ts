import { createCipheriv, createHash, diffieHellman, type KeyObject } from 'node:crypto';
import { DccError } from './dcc-error.js';
import { eui64ToBigInt, parseEui64 } from './eui64.js';
import { encodeUtrn, utrnHighWord, type UtrnCredit } from './utrn-format.js';

/*
 * The UTRN authentication tag (PTUT low word), GBCS §14 as DCC-REFERENCE §4.1 describes it:
 *   Z      = ECDH P-256 between the supplier's prepayment top-up key-agreement (KA) key and the device's KA key
 *            (the supplier uses its private key and the device's public one; the device the other two)
 *   key    = first 16 bytes of SHA-256(00000001 || Z || OtherInfo)  (single-step KDF, one round)
 *            OtherInfo = AlgorithmID 60 85 74 06 08 03 00 || originator || 09 01 ("command") || counter || target
 *   IV     = originator (8 bytes) || 00 00 00 00
 *   tag    = AES-128-GCM over an empty plaintext (a GMAC), 16-byte tag, of
 *            AAD = 11 00 00 00 00 00 || originator || target || 01 || counter (8 bytes) || PTUT high word (4 bytes)
 *   PTUT low word = the tag's last 4 bytes, big-endian.
 * Why this lives in libs/domain although it imports node:crypto: it is a deterministic computation on its
 * inputs (no I/O, no clock, no randomness, no key storage), and it is one fact both sides need, the supplier's
 * top-up system that issues UTRNs and the meter that verifies them. The keys are held elsewhere (libs/meter for
 * the device model, the supplier's credentials for issuing) and passed in as KeyObjects. AES, ECDH and SHA-256
 * are Node's; only the GBCS byte layouts are written here.
 */
const KDF_ROUND = Buffer.from([0, 0, 0, 1]);
const ALGORITHM_ID = Buffer.from([0x60, 0x85, 0x74, 0x06, 0x08, 0x03, 0x00]);
const COMMAND_TRANSACTION = Buffer.from([0x09, 0x01]);
const AAD_PREFIX = Buffer.from([0x11, 0, 0, 0, 0, 0]);
const AAD_COUNTER_MARK = Buffer.from([0x01]);
const P256 = 'prime256v1';

/** Computes UTRN tags for one (own private KA key, peer public KA key) pair: the ECDH is done once. */
export interface UtrnAuthenticator {
  /** The PTUT low word for a top-up from `originator` (the supplier) to `target` (the device). */
  tag(originator: string, target: string, counter: bigint, highWord: number): number;
}

function systemTitle(id: string, field: string): Buffer {
  const out = Buffer.alloc(8);
  out.writeBigUInt64BE(eui64ToBigInt(parseEui64(id, field)));
  return out;
}

function counterBytes(counter: bigint): Buffer {
  const out = Buffer.alloc(8);
  out.writeBigUInt64BE(counter);
  return out;
}

function requireP256(key: KeyObject, what: string): void {
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== P256) {
    throw DccError.invalidArgument(`the ${what} must be an EC P-256 key-agreement key`);
  }
}

/**
 * A UTRN authenticator from one party's private KA key and the other party's public KA key: the supplier's
 * top-up private key with the device's public key, or the device's private key with the supplier's public key
 * (ECDH gives both the same secret).
 */
export function utrnAuthenticator(ownPrivateKey: KeyObject, peerPublicKey: KeyObject): UtrnAuthenticator {
  if (ownPrivateKey.type !== 'private' || peerPublicKey.type !== 'public') {
    throw DccError.invalidArgument('a UTRN tag needs one private and one public key-agreement key');
  }
  requireP256(ownPrivateKey, 'private key');
  requireP256(peerPublicKey, 'public key');
  const shared = diffieHellman({ privateKey: ownPrivateKey, publicKey: peerPublicKey });
  return {
    tag(originator, target, counter, highWord) {
      const orig = systemTitle(originator, 'UTRN originator');
      const targ = systemTitle(target, 'UTRN target');
      const ctr = counterBytes(counter);
      const otherInfo = Buffer.concat([ALGORITHM_ID, orig, COMMAND_TRANSACTION, ctr, targ]);
      const key = createHash('sha256')
        .update(KDF_ROUND)
        .update(shared)
        .update(otherInfo)
        .digest()
        .subarray(0, 16);
      const iv = Buffer.concat([orig, Buffer.alloc(4)]);
      const high = Buffer.alloc(4);
      high.writeUInt32BE(highWord >>> 0);
      const cipher = createCipheriv('aes-128-gcm', key, iv, { authTagLength: 16 });
      cipher.setAAD(Buffer.concat([AAD_PREFIX, orig, targ, AAD_COUNTER_MARK, ctr, high]));
      cipher.final();
      return cipher.getAuthTag().readUInt32BE(12);
    },
  };
}

export interface UtrnIssue extends UtrnCredit {
  /** The supplier (UTRN originator) and the device (target), EUI-64. */
  originator: string;
  target: string;
}

/** Builds a UTRN as a supplier's top-up system does, with an authenticator from its private top-up KA key. */
export function buildUtrn(auth: UtrnAuthenticator, issue: UtrnIssue): string {
  const highWord = utrnHighWord(issue);
  return encodeUtrn(highWord, auth.tag(issue.originator, issue.target, issue.counter, highWord));
}
