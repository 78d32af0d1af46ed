import { isEui64 } from '../eui64.js';
import { hexDigits, numberIn, text, type BodyFields, type BodyRule } from './body-rules.js';

/** 8.11 AddDeviceToCHFWhitelist JoinTimePeriod: DUIS gives no range here; the sample sends 90 (inferred: 1 to 3600 s). */
export const JOIN_TIME_PERIOD = { min: 1, max: 3_600 } as const;
/** 8.11 InstallCode: 16 bytes as 32 hexadecimal digits (the sample's length). */
export const INSTALL_CODE_HEX_DIGITS = 32;

/** HanDeviceLogRequestType on the wire (han_device_management.proto). */
const ADD = 1;
const REMOVE = 2;

/** A device id in the DUIS spelling, "XX-XX-XX-XX-XX-XX-XX-XX". */
export function deviceId(field: string): BodyRule {
  return (fields) => {
    const value = fields[field];
    return typeof value === 'string' && isEui64(value)
      ? undefined
      : `${field} must be a device id (EUI-64, XX-XX-XX-XX-XX-XX-XX-XX)`;
  };
}

const DIGIT = /^\d$/;
const given = (fields: BodyFields, name: string) => typeof fields[name] === 'string' && fields[name] !== '';

/** AddDeviceToCHFWhitelist: join period, install code, and the optional MPxN of the device's point. */
function whitelistEntry(add: BodyFields): string | undefined {
  const checks: BodyRule[] = [
    numberIn('joinTimePeriod', JOIN_TIME_PERIOD.min, JOIN_TIME_PERIOD.max, { integer: true }),
    hexDigits('installCode', INSTALL_CODE_HEX_DIGITS),
  ];
  // An MPAN core has 13 digits, an MPRN 6 to 10: ImportMPxN takes either.
  if (given(add, 'importMpxn')) checks.push(text('importMpxn', 6, 13, DIGIT, 'digits'));
  if (given(add, 'secondaryImportMpan')) {
    if (!given(add, 'importMpxn')) return 'add.secondaryImportMpan goes with an add.importMpxn';
    checks.push(text('secondaryImportMpan', 13, 13, DIGIT, 'digits'));
  }
  for (const check of checks) {
    const wrong = check(add);
    if (wrong) return `add.${wrong}`;
  }
  return undefined;
}

/** 8.11 Update HAN Device Log: Add carries the whitelist entry, Remove nothing but the device id. */
export const updateHanDeviceLogRule: BodyRule = (fields) => {
  const id = deviceId('deviceId')(fields);
  if (id) return id;
  const add = fields['add'];
  const entry = typeof add === 'object' && add !== null ? (add as BodyFields) : undefined;
  switch (fields['requestType']) {
    case ADD:
      return entry ? whitelistEntry(entry) : 'requestType Add needs add (AddDeviceToCHFWhitelist)';
    case REMOVE:
      return entry ? 'requestType Remove takes no add' : undefined;
    default:
      return 'requestType must be Add or Remove';
  }
};

/**
 * 8.12.1 and 8.12.2: the old device's id (DUIS OldCHFID / OldGPFID), and no saved entries: the hub fills those
 * from its inventory once the request is admitted, so entries a User sends would be the User's word for the
 * DCC's record.
 */
export function restoreDeviceLogRule(oldDeviceField: 'oldChfId' | 'oldGpfId'): BodyRule {
  const oldDevice = deviceId(oldDeviceField);
  return (fields) => {
    const wrong = oldDevice(fields);
    if (wrong) return wrong;
    const saved = fields['savedEntries'];
    return Array.isArray(saved) && saved.length > 0
      ? 'savedEntries are filled by the hub from its inventory: send none'
      : undefined;
  };
}
