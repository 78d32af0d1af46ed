import { ALERT_CODE_PATTERN, isConfigurableAlert } from '../alert-codes.js';
import { decodeUtrn, UTRN_DIGITS } from '../utrn-format.js';

/** The fields of an SRV's parameters as decoded from the wire (ts-proto's camelCase names). */
export type BodyFields = Readonly<Record<string, unknown>>;

/**
 * One check on an SRV's parameters that needs no device: undefined when it holds, else what is wrong, naming
 * the field ("message is longer than 160 characters"). Pure, so access control runs it before anything is
 * stored and the device model can share its limits.
 */
export type BodyRule = (fields: BodyFields) => string | undefined;

const DAY_MS = 86_400_000;

/**
 * Limits of parameter values. DCC-REFERENCE quotes none of them; each is the documented contract of the wire
 * protocol (libs/proto device_srv_params.proto) and of the device model that enforces them too.
 */
export const BODY_LIMITS = {
  /** 3.1 Display Message: printable ASCII text, 1 to 160 characters. */
  displayMessageChars: 160,
  /** 3.4 Update Supplier Name: name and telephone number, printable ASCII, at most 20 characters each (inferred). */
  supplierContactChars: 20,
  /** 4.8.1, 4.8.3 profile reads and 4.17 daily consumption: at most 31 days per read (inferred). */
  profileReadDays: 31,
  /** 4.6.1 daily read log: what the device keeps, 731 days. */
  dailyReadLogDays: 731,
  /** 4.14 prepayment daily read log: at most 731 days per read (inferred, as 4.6.1). */
  prepayLogReadDays: 731,
  /**
   * 4.4.4, 4.4.5 billing data logs: no longest period. DCC's samples ask for 2014 to 2020 (GCS15d) and to
   * 3000-12-31 (GCS15e), and the answer is bounded by the log itself (at most 31 entries kept).
   */
  billingLogReadDays: Number.POSITIVE_INFINITY,
  /** 4.14 KAPublicSecurityCredentials, characters. */
  kaCredentialsChars: 4_096,
  /** 6.22: codes per list (and codes a device holds disabled at once). */
  alertCodesPerList: 64,
  /** 6.5 voltage thresholds, volts. */
  maxVoltageV: 500,
  /** 6.5 measurement periods, seconds. */
  voltagePeriodS: { min: 1, max: 3_600 },
  /** 6.4.1 load limit threshold, watts. */
  loadLimitW: { min: 1, max: 1_000_000 },
  /** 1.1.1: rates of a tariff, half hours in its switching table. */
  tariffRates: 8,
  switchingTableSlots: 48,
  /** 6.32 CHF Sub GHz channel log: no longest period; the answer is bounded by the log the CHF keeps. */
  chfChannelLogReadDays: Number.POSITIVE_INFINITY,
} as const;

/** Pence as the wire carries it: a decimal string with at most three fractional digits. */
const PENCE = /^-?\d{1,12}(\.\d{1,3})?$/;
const UNSIGNED_64 = (1n << 64n) - 1n;

const present = (fields: BodyFields, field: string) => fields[field] !== undefined && fields[field] !== null;

/** A string of `min`..`max` characters, each matching `chars` (described as `what`). */
export function text(field: string, min: number, max: number, chars: RegExp, what: string): BodyRule {
  return (fields) => {
    const value = fields[field];
    if (typeof value !== 'string') return `${field} is missing`;
    if (value.length < min) return `${field} is shorter than ${min} characters`;
    if (value.length > max) return `${field} is longer than ${max} characters (${value.length})`;
    return [...value].every((c) => chars.test(c)) ? undefined : `${field} must be ${what}`;
  };
}

/** A number in [min, max]; `integer` for whole numbers; `optional` lets it be absent. */
export function numberIn(
  field: string,
  min: number,
  max: number,
  { integer = false, optional = false } = {},
): BodyRule {
  return (fields) => {
    if (!present(fields, field)) return optional ? undefined : `${field} is missing`;
    const value = fields[field];
    const ok = typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max;
    if (!ok || (integer && !Number.isInteger(value))) {
      return `${field} must be a${integer ? ' whole' : ''} number from ${min} to ${max}, not ${String(value)}`;
    }
    return undefined;
  };
}

/** A date-time in UTC milliseconds (not before 1970). */
export const dateTime = (field: string, optional = false): BodyRule =>
  numberIn(field, 0, Number.MAX_SAFE_INTEGER, { integer: true, optional });

/** A log period {startMs, endMs}: both date-times, end after start, at most `maxDays` long. */
export function period(field: string, maxDays: number): BodyRule {
  return (fields) => {
    const value = fields[field];
    if (value === undefined || value === null || typeof value !== 'object') return `${field} is missing`;
    const { startMs, endMs } = value as { startMs?: unknown; endMs?: unknown };
    const bad = dateTime('startMs')({ startMs }) ?? dateTime('endMs')({ endMs });
    if (bad) return `${field}.${bad}`;
    const [start, end] = [startMs as number, endMs as number];
    if (end <= start) return `${field} must end after it starts`;
    if (end - start > maxDays * DAY_MS) {
      return `${field} is longer than ${maxDays} days (${Math.ceil((end - start) / DAY_MS)} days)`;
    }
    return undefined;
  };
}

/** A UTRN: 20 digits whose GBCS check digit and fixed fields hold (utrn-format.ts); authenticity is the device's. */
export function utrn(field: string): BodyRule {
  return (fields) => {
    const value = fields[field];
    if (typeof value !== 'string' || value.length === 0) return `${field} is missing`;
    if (!new RegExp(`^[0-9]{${UTRN_DIGITS}}$`).test(value)) {
      return `${field} must be ${UTRN_DIGITS} digits, not ${value.length} characters`;
    }
    return decodeUtrn(value) ? undefined : `${field} has a wrong check digit or structure`;
  };
}

/**
 * A list of alert codes (four upper-case hex digits each), at most BODY_LIMITS.alertCodesPerList of them;
 * `disabling`: critical (8Fxx) alerts cannot be switched off.
 */
export function alertCodes(field: string, disabling: boolean): BodyRule {
  return (fields) => {
    const value = fields[field] ?? [];
    if (!Array.isArray(value)) return `${field} must be a list of alert codes`;
    if (value.length > BODY_LIMITS.alertCodesPerList) {
      return `${field} holds ${value.length} codes, at most ${BODY_LIMITS.alertCodesPerList}`;
    }
    const bad = value.find((code) => typeof code !== 'string' || !ALERT_CODE_PATTERN.test(code));
    if (bad !== undefined)
      return `${field} holds "${String(bad)}", not an alert code of four upper-case hex digits`;
    const critical = (value as string[]).filter((code) => !isConfigurableAlert(Number.parseInt(code, 16)));
    if (disabling && critical.length > 0) return `critical alerts cannot be disabled: ${critical.join(', ')}`;
    return undefined;
  };
}

/** At least one of the fields is present (a non-empty list counts, an empty one does not). */
export function atLeastOne(...names: string[]): BodyRule {
  return (fields) =>
    names.some((name) => {
      const value = fields[name];
      return Array.isArray(value) ? value.length > 0 : present(fields, name) && value !== false;
    })
      ? undefined
      : `give at least one of ${names.join(', ')}`;
}

/** Pence as a decimal string (at most three fractional digits); `optional` lets it be absent. */
export function pence(field: string, optional = false): BodyRule {
  return (fields) => {
    if (!present(fields, field)) return optional ? undefined : `${field} is missing`;
    const value = fields[field];
    return typeof value === 'string' && PENCE.test(value)
      ? undefined
      : `${field} holds "${String(value)}", not pence as a decimal with at most three fractional digits`;
  };
}

/** A list of `min`..`max` items, each checked by `item` as if it were the field `${field}[i]`. */
export function listOf(field: string, min: number, max: number, item: (name: string) => BodyRule): BodyRule {
  return (fields) => {
    const value = fields[field] ?? [];
    if (!Array.isArray(value) || value.length < min || value.length > max) {
      return `${field} must hold ${min === max ? min : `${min} to ${max}`} entries`;
    }
    for (const [i, entry] of value.entries()) {
      const name = `${field}[${i}]`;
      const bad = item(name)({ [name]: entry });
      if (bad) return bad;
    }
    return undefined;
  };
}

/** One of the listed values (enumerations: numbers as the wire carries them, named for the message). */
export function oneOf(field: string, allowed: Readonly<Record<number, string>>): BodyRule {
  return (fields) =>
    Object.hasOwn(allowed, String(fields[field]))
      ? undefined
      : `${field} must be ${Object.values(allowed).join(' or ')}`;
}

/** A hexadecimal string of exactly `digits` digits (either case). */
export function hexDigits(field: string, digits: number): BodyRule {
  return (fields) => {
    const value = fields[field];
    return typeof value === 'string' && new RegExp(`^[0-9A-Fa-f]{${digits}}$`).test(value)
      ? undefined
      : `${field} must be ${digits} hex digits`;
  };
}

/** An unsigned 64-bit counter as a decimal string (it exceeds 2^53). */
export function unsigned64(field: string): BodyRule {
  return (fields) => {
    const value = fields[field];
    return typeof value === 'string' && /^[0-9]{1,20}$/.test(value) && BigInt(value) <= UNSIGNED_64
      ? undefined
      : `${field} must be an unsigned 64-bit counter as a decimal string`;
  };
}

/** `a` and the flag `b` (true) exclude each other (2.1: a new debt recovery cap, or remove it). */
export function exclusive(a: string, b: string): BodyRule {
  return (fields) =>
    present(fields, a) && fields[b] === true ? `give either ${a} or ${b}, not both` : undefined;
}

/** `a` and `b` exclude each other (two spellings of one value, e.g. 2.3's percent and DUIS's hundredths). */
export function notBoth(a: string, b: string): BodyRule {
  return (fields) =>
    present(fields, a) && present(fields, b) ? `give either ${a} or ${b}, not both` : undefined;
}

/** The first violation of `rules` for these fields, or undefined. */
export function firstViolation(rules: readonly BodyRule[], fields: BodyFields): string | undefined {
  for (const rule of rules) {
    const violation = rule(fields);
    if (violation) return violation;
  }
  return undefined;
}
