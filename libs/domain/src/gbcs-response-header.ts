import { DccError } from './dcc-error.js';
import { parseEui64, type Eui64 } from './eui64.js';

/**
 * The routing facts of a device's GBCS response, read from its grouping header (GBCS §7: General Signing,
 * tag 0xDF 0x09, optionally inside General Ciphering, 0xDD): who answered, to whom, for which counter, with which
 * message code. 8.13 Return Local Command Response uses them to match a response a User brings back to the
 * request it answers. The signature is not checked here (the device's signing key is not the hub's to hold in
 * this model).
 */
export interface GbcsResponseHeader {
  /** The CRA flag: 1 command, 2 response, 3 alert. */
  readonly craFlag: number;
  /** The originator counter (a response repeats its command's counter). */
  readonly counter: bigint;
  /** Originator system title: the device that answered. */
  readonly originator: Eui64;
  /** Recipient system title: the party the response is for. */
  readonly recipient: Eui64;
  /** The GBCS message code (use case), e.g. 0x0012 for CS06 Activate Firmware. */
  readonly messageCode: number;
}

export const GBCS_CRA_RESPONSE = 2;

const GENERAL_SIGNING = 0xdf;
const GENERAL_CIPHERING = 0xdd;
/** General Ciphering: the tag and six further header bytes before the ciphered service's length. */
const CIPHERING_HEADER_BYTES = 7;
/** The security header (security control byte and invocation counter) before the signed content. */
const SECURITY_HEADER_BYTES = 5;
const TITLE_BYTES = 8;

const bad = (why: string) => DccError.invalidArgument(`DeviceGBCSResponse is not a GBCS response: ${why}`);

/** A cursor over the bytes that refuses to read past their end. */
class Reader {
  at = 0;
  constructor(private readonly bytes: Uint8Array) {}

  byte(): number {
    if (this.at >= this.bytes.length) throw bad('it ends inside its header');
    return this.bytes[this.at++]!;
  }

  take(count: number): Uint8Array {
    if (this.at + count > this.bytes.length) throw bad('it ends inside its header');
    const slice = this.bytes.subarray(this.at, this.at + count);
    this.at += count;
    return slice;
  }

  /** A DER-style length: one byte below 0x80, or 0x81/0x82 and one or two length bytes. */
  length(): number {
    const first = this.byte();
    if (first < 0x80) return first;
    if (first === 0x81) return this.byte();
    if (first === 0x82) return (this.byte() << 8) | this.byte();
    throw bad(`length form 0x${first.toString(16)} is not supported`);
  }

  title(): Eui64 {
    if (this.byte() !== TITLE_BYTES) throw bad('a system title is not 8 bytes');
    const hex = [...this.take(TITLE_BYTES)].map((b) => b.toString(16).padStart(2, '0').toUpperCase());
    return parseEui64(hex.join('-'), 'system title');
  }
}

/** The grouping header of a GBCS message; INVALID_ARGUMENT when the bytes are not one. */
export function readGbcsResponseHeader(bytes: Uint8Array): GbcsResponseHeader {
  const reader = new Reader(bytes);
  if (bytes[0] === GENERAL_CIPHERING) {
    reader.take(CIPHERING_HEADER_BYTES);
    reader.length();
    reader.take(SECURITY_HEADER_BYTES);
  }
  if (reader.byte() !== GENERAL_SIGNING || reader.byte() !== 0x09) {
    throw bad('it starts with neither General Signing (0xDF09) nor General Ciphering (0xDD)');
  }
  const craFlag = reader.byte();
  const counter = reader.take(8).reduce((sum, b) => (sum << 8n) | BigInt(b), 0n);
  const originator = reader.title();
  const recipient = reader.title();
  const dateTime = reader.length();
  reader.take(dateTime);
  const otherInfo = reader.length();
  if (otherInfo < 2) throw bad('it carries no message code');
  const code = reader.take(otherInfo);
  return { craFlag, counter, originator, recipient, messageCode: (code[0]! << 8) | code[1]! };
}
