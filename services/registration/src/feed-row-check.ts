import { isEsmeVariant } from '@dcc/domain';
import { DEVICE_STATUS_NAMES } from '@dcc/registry';
import { GRID_TOKEN } from './grid-connections.js';

/** A feed line's shape as the schema in feed.ts outputs it (defaults filled in). */
export interface RowShape {
  mpxn: string;
  fuel: 'electricity' | 'gas';
  meterKind: 'dumb' | 'SMETS1' | 'SMETS2';
  smets1Cohort?: 'IOC' | 'MOC' | 'FOC';
  cspRegion?: 'North' | 'Central' | 'South';
  uprn?: string;
  postCode?: string;
  addressIdentifier?: string;
  status: 'enrolled' | 'withdrawn';
  device?: DeviceShape & { type?: 'ESME' | 'GSME' };
  commsHub?: DeviceShape & { type?: 'CHF' };
  gpf?: DeviceShape & { type?: 'GPF' };
  hanDevices: (DeviceShape & { type: 'PPMID' | 'HCALCS' | 'IHD' })[];
  supplier?: AppointmentShape;
  exportSupplier?: AppointmentShape;
  mdr?: AppointmentShape;
  networkOperator?: AppointmentShape;
}

interface DeviceShape {
  id: string;
  status: string;
  model: string;
  firmwareVersion: string;
}

interface AppointmentShape {
  party: string | null;
  from: string | number;
}

type Json = Record<string, unknown>;

const ROW_KEYS = new Set([
  'mpxn',
  'fuel',
  'meterKind',
  'smets1Cohort',
  'cspRegion',
  'uprn',
  'postCode',
  'addressIdentifier',
  'status',
  'device',
  'commsHub',
  'gpf',
  'hanDevices',
  'supplier',
  'exportSupplier',
  'mdr',
  'networkOperator',
  'gridConnection',
]);
const DEVICE_KEYS = new Set(['id', 'type', 'status', 'model', 'firmwareVersion']);
/** A meter (the line's `device`) may carry its KA public key and an ESME its variant; linked devices may not. */
const METER_KEYS = new Set([...DEVICE_KEYS, 'kaPublicKey', 'esmeVariant']);
const GRID_KEYS = new Set(['substation', 'feeder']);
const APPOINTMENT_KEYS = new Set(['party', 'from']);
const STATUSES = new Set(DEVICE_STATUS_NAMES.filter((n) => n !== 'NotApplicable'));
const UPRN = /^\d{1,12}$/;
/** A UK postcode (as 12.1's body rules check it), at most 8 characters with its space. */
export const POSTCODE = /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/i;
/** A premises' address identifier (house name or number and street): printable ASCII, at most 100 characters. */
export const ADDRESS_IDENTIFIER = /^[\x20-\x7E]{1,100}$/;
const addressText = (value: unknown) =>
  value === undefined || (typeof value === 'string' && ADDRESS_IDENTIFIER.test(value));

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const onlyKeys = (value: Json, keys: ReadonlySet<string>) => Object.keys(value).every((k) => keys.has(k));
const isOneOf = (value: unknown, ...options: string[]) =>
  typeof value === 'string' && options.includes(value);
const optionalOneOf = (value: unknown, ...options: string[]) =>
  value === undefined || isOneOf(value, ...options);
const shortText = (value: unknown) =>
  value === undefined || (typeof value === 'string' && value.length <= 64);

/**
 * The common case of the feed schema, checked without it: a parsed line that is exactly well formed gets its
 * shape here (defaults filled in as the schema fills them); anything else, undefined, and the schema in
 * feed.ts decides and words the refusal. It accepts only what the schema accepts, so a line's outcome and
 * reason are the schema's either way; it exists because the schema costs most of a line's time at estate scale.
 */
export function wellFormedRow(json: unknown): RowShape | undefined {
  if (!isObject(json) || !onlyKeys(json, ROW_KEYS)) return undefined;
  if (typeof json.mpxn !== 'string' || !isOneOf(json.fuel, 'electricity', 'gas')) return undefined;
  if (!isOneOf(json.meterKind, 'dumb', 'SMETS1', 'SMETS2')) return undefined;
  if (!optionalOneOf(json.smets1Cohort, 'IOC', 'MOC', 'FOC')) return undefined;
  if (!optionalOneOf(json.cspRegion, 'North', 'Central', 'South')) return undefined;
  if (json.uprn !== undefined && !(typeof json.uprn === 'string' && UPRN.test(json.uprn))) return undefined;
  if (json.postCode !== undefined && !(typeof json.postCode === 'string' && POSTCODE.test(json.postCode)))
    return undefined;
  if (!addressText(json.addressIdentifier)) return undefined;
  if (!optionalOneOf(json.status, 'enrolled', 'withdrawn')) return undefined;
  const grid = json.gridConnection;
  if (grid !== undefined) {
    if (!isObject(grid) || !onlyKeys(grid, GRID_KEYS)) return undefined;
    if (![grid.substation, grid.feeder].every((t) => typeof t === 'string' && GRID_TOKEN.test(t)))
      return undefined;
  }
  const device = deviceShape(json.device, ['ESME', 'GSME'], false, METER_KEYS);
  const commsHub = deviceShape(json.commsHub, ['CHF'], false);
  const gpf = deviceShape(json.gpf, ['GPF'], false);
  if (device === null || commsHub === null || gpf === null) return undefined;
  const han = json.hanDevices ?? [];
  if (!Array.isArray(han) || han.length > 8) return undefined;
  const hanDevices = han.map((d) => deviceShape(d, ['PPMID', 'HCALCS', 'IHD'], true));
  if (hanDevices.some((d) => d === null || d === undefined)) return undefined;
  const appointments: Json = {};
  for (const field of ['supplier', 'exportSupplier', 'mdr', 'networkOperator']) {
    const a = json[field];
    if (a === undefined) continue;
    if (!isObject(a) || !onlyKeys(a, APPOINTMENT_KEYS)) return undefined;
    if (!(a.party === null || typeof a.party === 'string')) return undefined;
    if (!(typeof a.from === 'string' || typeof a.from === 'number')) return undefined;
    appointments[field] = { party: a.party, from: a.from };
  }
  return {
    ...(json as unknown as RowShape),
    status: (json.status as RowShape['status'] | undefined) ?? 'enrolled',
    device,
    commsHub,
    gpf,
    hanDevices: hanDevices as RowShape['hanDevices'],
    ...appointments,
  } as RowShape;
}

/** The device with defaults, undefined when absent, null when not well formed. */
function deviceShape(value: unknown, types: string[], typeRequired: boolean, keys = DEVICE_KEYS) {
  if (value === undefined) return undefined;
  if (!isObject(value) || !onlyKeys(value, keys) || typeof value.id !== 'string') return null;
  if (typeRequired ? !isOneOf(value.type, ...types) : !optionalOneOf(value.type, ...types)) return null;
  if (typeof value.status !== 'string' || !STATUSES.has(value.status as never)) return null;
  if (!shortText(value.model) || !shortText(value.firmwareVersion)) return null;
  const kaKey = value.kaPublicKey;
  if (!(kaKey === undefined || (typeof kaKey === 'string' && kaKey.length <= 512))) return null;
  const variant = value.esmeVariant;
  if (!(variant === undefined || (typeof variant === 'string' && isEsmeVariant(variant)))) return null;
  return {
    id: value.id,
    ...(value.type === undefined ? {} : { type: value.type }),
    status: value.status,
    model: (value.model as string | undefined) ?? '',
    firmwareVersion: (value.firmwareVersion as string | undefined) ?? '',
    ...(kaKey === undefined ? {} : { kaPublicKey: kaKey }),
    ...(variant === undefined ? {} : { esmeVariant: variant }),
  };
}
