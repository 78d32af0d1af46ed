import { text, unsigned64, type BodyFields, type BodyRule } from './body-rules.js';
import { deviceId } from './han-body-rules.js';

/*
 * Body rules of the opt-out and inventory SRVs: 8.5 Service Opt Out (a device SRV: the device model checks the
 * certificates themselves), and the non-device ones registration answers from its estate: 8.4's DeleteDevice,
 * 8.6 Service Opt In and 12.1 Request WAN Matrix. Access control checks them before it stores or routes the
 * request; registration then judges what needs the inventory (the device's status, type and point).
 */

const DIGIT = /^\d$/;
const PRINTABLE_ASCII = /^[\x20-\x7E]$/;
/** A UK postcode: outward code (area letters, district) and inward code (sector digit, unit letters). */
const POSTCODE = /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/i;
/** The device types that hold an SMI status and can be opted out of DCC services (GBCS Type 1 devices). */
export const OPT_IN_DEVICE_TYPES: readonly string[] = ['ESME', 'GSME', 'CHF', 'GPF', 'PPMID', 'HCALCS'];
/** 12.1 AddressIdentifier: a house name or number and street within the postcode (inferred limit). */
export const ADDRESS_IDENTIFIER_CHARS = 100;

const given = (fields: BodyFields, name: string) => typeof fields[name] === 'string' && fields[name] !== '';

/** 12.1: a UK postcode, and optionally the premises within it. */
export const wanMatrixRules: readonly BodyRule[] = [
  (fields) => {
    const value = fields['postCode'];
    if (typeof value !== 'string' || value === '') return 'postCode is missing';
    return POSTCODE.test(value.trim()) ? undefined : `postCode "${value}" is not a UK postcode`;
  },
  (fields) =>
    given(fields, 'addressIdentifier')
      ? text('addressIdentifier', 1, ADDRESS_IDENTIFIER_CHARS, PRINTABLE_ASCII, 'printable ASCII')(fields)
      : undefined,
];

/** An MPxN as DUIS carries it: a 13-digit MPAN core or a 6 to 10 digit MPRN. */
const mpxn = (field: string): BodyRule => {
  return (fields) => {
    const value = fields[field];
    if (typeof value !== 'string' || value === '') return `${field} is missing`;
    return value.length === 13
      ? text(field, 13, 13, DIGIT, 'digits')(fields)
      : text(field, 6, 10, DIGIT, 'digits (a 13-digit MPAN core or an MPRN of 6 to 10)')(fields);
  };
};

/** An optional 13-digit MPAN core. */
const optionalMpan =
  (field: string): BodyRule =>
  (fields) =>
    given(fields, field) ? text(field, 13, 13, DIGIT, 'a 13-digit MPAN core')(fields) : undefined;

/** 8.6: the device, its type and point (with a twin element's or export MPAN), and the opt-in date. */
export const serviceOptInRules: readonly BodyRule[] = [
  deviceId('deviceId'),
  (fields) =>
    OPT_IN_DEVICE_TYPES.includes(fields['deviceType'] as string)
      ? undefined
      : `deviceType must be one of ${OPT_IN_DEVICE_TYPES.join(', ')}`,
  mpxn('importMpxn'),
  optionalMpan('secondaryImportMpan'),
  optionalMpan('exportMpan'),
  (fields) => {
    const mpanOnly = ['secondaryImportMpan', 'exportMpan'].find((name) => given(fields, name));
    const importMpxn = fields['importMpxn'];
    return mpanOnly !== undefined && typeof importMpxn === 'string' && importMpxn.length !== 13
      ? `${mpanOnly} goes with an electricity importMpxn (an MPAN)`
      : undefined;
  },
  (fields) => {
    const date = Number(fields['optInDateMs'] ?? 0);
    return Number.isSafeInteger(date) && date > 0 && date % 86_400_000 === 0
      ? undefined
      : 'optInDateMs must be a date (UTC midnight, after 1970)';
  },
];

/** The UpdateInventory fields that change a record, which a DeleteDevice may not carry. */
const UPDATE_FIELDS = ['model', 'firmwareVersion', 'mpxn', 'commsHubId'];

/** 8.4: a device id; with DeleteDevice, nothing to update beside it (DUIS: one or the other). */
export const updateInventoryRules: readonly BodyRule[] = [
  deviceId('deviceId'),
  (fields) => {
    if (fields['deleteDevice'] !== true) return undefined;
    const also = UPDATE_FIELDS.filter((name) => given(fields, name));
    if (Number(fields['status'] ?? 0) !== 0) also.unshift('status');
    return also.length === 0 ? undefined : `deleteDevice goes alone: ${also.join(', ')} given too`;
  },
];

/** 8.5 and 6.21: certificates are X.509 DER; a device keeps a few hundred bytes each (inferred limit). */
export const OPT_OUT_LIMITS = { certificateBytes: 2_048, certificationPath: 4 } as const;

export const derBytes = (name: string, value: unknown): string | undefined => {
  const length = value instanceof Uint8Array ? value.length : 0;
  if (length === 0) return `${name} is missing`;
  if (length > OPT_OUT_LIMITS.certificateBytes) {
    return `${name} is longer than ${OPT_OUT_LIMITS.certificateBytes} bytes`;
  }
  // An X.509 certificate is a DER SEQUENCE.
  return (value as Uint8Array)[0] === 0x30 ? undefined : `${name} is not a DER certificate`;
};

/** 8.5 and 6.21: the certificates that issued the replacement ones, X.509 DER each. */
export const certificationPathRule: BodyRule = (fields) => {
  const path = fields['certificationPathCertificates'];
  if (!Array.isArray(path) || path.length === 0) return 'certificationPathCertificates is missing';
  if (path.length > OPT_OUT_LIMITS.certificationPath) {
    return `certificationPathCertificates holds more than ${OPT_OUT_LIMITS.certificationPath} certificates`;
  }
  return path.map((c, i) => derBytes(`certificationPathCertificates[${i}]`, c)).find((m) => m) ?? undefined;
};

/** 8.5: the replacement ACB's counter floor, its KA certificate and the path that issued it. */
export const serviceOptOutRules: readonly BodyRule[] = [
  unsigned64('acbFloorSeqNumber'),
  (fields) => derBytes('replacementKeyAgreementCertificate', fields['replacementKeyAgreementCertificate']),
  certificationPathRule,
];
