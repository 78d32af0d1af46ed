import { DccError } from '../dcc-error.js';
import { GBCS_CRA_RESPONSE, readGbcsResponseHeader } from '../gbcs-response-header.js';
import { parseRequestId } from '../request-id.js';
import { text, type BodyRule } from './body-rules.js';
import { deviceId } from './han-body-rules.js';

/**
 * Limits of the 8.13 and 8.14 bodies. DCC-REFERENCE quotes none: DUIS enumerated texts are short phrases (the
 * longest sample value has 36 characters), so 64 printable characters hold any of them (inferred); a GBCS response
 * returned by 8.13 is one APDU, at most 4096 bytes here (inferred).
 */
export const CHF_OPS_LIMITS = { enumeratedTextChars: 64, gbcsResponseBytes: 4_096 } as const;

const PRINTABLE = /^[\x20-\x7E]$/;
const DIGIT = /^\d$/;

/** A DUIS enumerated value carried as its text. */
const enumerated = (field: string) =>
  text(field, 1, CHF_OPS_LIMITS.enumeratedTextChars, PRINTABLE, 'printable ASCII (the DUIS text)');

/** ChfFaultReturnType on the wire (chf_operations.proto): prior to or post installation. */
const FAULT_RETURN_TYPES: readonly unknown[] = [1, 2];

/** 8.14.1 and 8.14.2: the hub, the installation's meter point (13-digit MPAN or 6 to 10-digit MPRN) and the site. */
const installRules: readonly BodyRule[] = [
  deviceId('deviceId'),
  enumerated('installType'),
  text('mpxn', 6, 13, DIGIT, 'digits (an MPAN core or MPRN)'),
  enumerated('location'),
];

export const chfInstallSuccessRules: readonly BodyRule[] = installRules;
export const chfInstallNoSmWanRules: readonly BodyRule[] = [...installRules, enumerated('premiseType')];

export const chfFaultReturnRules: readonly BodyRule[] = [
  deviceId('deviceId'),
  (fields) =>
    FAULT_RETURN_TYPES.includes(fields['faultReturnType'])
      ? undefined
      : 'faultReturnType must be prior to or post installation',
  (fields) => (fields['otherDeviceId'] === '' ? undefined : deviceId('otherDeviceId')(fields)),
  enumerated('connectionMethod'),
  enumerated('faultReason'),
];

export const chfNoFaultReturnRules: readonly BodyRule[] = [
  deviceId('deviceId'),
  enumerated('noFaultReturnType'),
];

/**
 * 8.13: the returned bytes must be a device's GBCS response to the original request: CRA flag response, from the
 * original request's target device, to its originator, with its counter (GBCS responses repeat the command's
 * counter). What only the inventory knows (the device, the sender's rights over it) is registration's to check.
 */
export const returnLocalCommandResponseRule: BodyRule = (fields) => {
  const original = fields['originalRequestId'];
  const bytes = fields['deviceGbcsResponse'];
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) return 'deviceGbcsResponse is missing';
  if (bytes.length > CHF_OPS_LIMITS.gbcsResponseBytes) {
    return `deviceGbcsResponse is longer than ${CHF_OPS_LIMITS.gbcsResponseBytes} bytes (${bytes.length})`;
  }
  try {
    const id = parseRequestId(typeof original === 'string' ? original : '');
    const header = readGbcsResponseHeader(bytes);
    if (header.craFlag !== GBCS_CRA_RESPONSE) return 'deviceGbcsResponse is not a response (CRA flag)';
    if (header.originator !== id.target) {
      return `deviceGbcsResponse comes from ${header.originator}, not from the original request's target ${id.target}`;
    }
    if (header.recipient !== id.originator) {
      return `deviceGbcsResponse is for ${header.recipient}, not for the original request's originator ${id.originator}`;
    }
    if (header.counter !== id.counter) {
      return `deviceGbcsResponse answers counter ${header.counter}, not the original request's ${id.counter}`;
    }
    return undefined;
  } catch (error) {
    if (error instanceof DccError) return `originalRequestId or deviceGbcsResponse: ${error.message}`;
    throw error;
  }
};
