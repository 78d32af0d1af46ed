import {
  DccError,
  DEVICE_TYPES,
  ESME_VARIANTS,
  normaliseKaPublicKey,
  parseEui64,
  parseMpan,
  parseMprn,
  type Eui64,
} from '@dcc/domain';
import {
  AppointmentRole,
  CspRegion,
  DEVICE_STATUS_NAMES,
  DeviceStatus,
  Fuel,
  MeterKind,
  Smets1Cohort,
} from '@dcc/registry';
import { z } from 'zod';
import { ADDRESS_IDENTIFIER, POSTCODE, wellFormedRow } from './feed-row-check.js';
import { GRID_TOKEN, type GridConnection } from './grid-connections.js';

/** Options a feed carries in its first message. */
export interface FeedParseOptions {
  /** Verify MPAN/MPRN check digits (default true). */
  checkDigits?: boolean;
}

export interface FeedDevice {
  id: Eui64;
  type: string;
  status: DeviceStatus;
  model: string;
  firmwareVersion: string;
  /** A meter's KA public key, base64 SPKI DER; empty: not given. */
  kaPublicKey: string;
  /** An ESME's variant (DUIS ESMEVariant: A, AD, ADE, B, BD, BDE, C, CD, CDE); empty: not given. */
  esmeVariant: string;
}

export interface FeedAppointment {
  role: AppointmentRole;
  /** Empty: nobody holds the role from `fromMs`. */
  partyId: Eui64 | '';
  fromMs: number;
}

/** One parsed, validated line of a registration-data feed (FEED-FORMAT.md). */
export interface FeedRow {
  mpxn: string;
  fuel: Fuel;
  kind: MeterKind;
  cohort: Smets1Cohort;
  cspRegion: CspRegion;
  uprn: string;
  /** The premises' postcode and address identifier (house and street); empty when the feed does not give them. */
  postCode: string;
  addressIdentifier: string;
  enrolled: boolean;
  device: FeedDevice | undefined;
  /** The point's communications hub (CHF); shared by the points of a premises (same id on their lines). */
  commsHub: FeedDevice | undefined;
  /** Gas points: the gas proxy function on the comms hub, through which the hub reaches the GSME. */
  gpf: FeedDevice | undefined;
  /** PPMID, HCALCS (electricity) and IHD joined to this point's meter and paired with its comms hub. */
  hanDevices: FeedDevice[];
  appointments: FeedAppointment[];
  /** Electricity points: the feeder and substation; undefined leaves the recorded one as it is. */
  gridConnection: GridConnection | undefined;
}

const appointment = z
  .object({
    party: z.string().nullable(),
    from: z.union([z.string(), z.number()]),
  })
  .strict();

const statusName = z.enum(DEVICE_STATUS_NAMES.filter((n) => n !== 'NotApplicable') as [string, ...string[]]);

/** A device of the premises other than the meter: its type is given by the field it is in, or by `type`. */
const linkedDevice = <T extends z.ZodTypeAny>(type: T) =>
  z
    .object({
      id: z.string(),
      type,
      status: statusName,
      model: z.string().max(64).default(''),
      firmwareVersion: z.string().max(64).default(''),
    })
    .strict();

const rowSchema = z
  .object({
    mpxn: z.string(),
    fuel: z.enum(['electricity', 'gas']),
    meterKind: z.enum(['dumb', 'SMETS1', 'SMETS2']),
    smets1Cohort: z.enum(['IOC', 'MOC', 'FOC']).optional(),
    cspRegion: z.enum(['North', 'Central', 'South']).optional(),
    uprn: z
      .string()
      .regex(/^\d{1,12}$/, 'must be 1-12 digits')
      .optional(),
    postCode: z.string().regex(POSTCODE, 'must be a UK postcode').optional(),
    addressIdentifier: z
      .string()
      .regex(ADDRESS_IDENTIFIER, 'must be 1-100 printable ASCII characters')
      .optional(),
    status: z.enum(['enrolled', 'withdrawn']).default('enrolled'),
    device: z
      .object({
        id: z.string(),
        type: z.enum(['ESME', 'GSME']).optional(),
        status: statusName,
        model: z.string().max(64).default(''),
        firmwareVersion: z.string().max(64).default(''),
        kaPublicKey: z.string().max(512).optional(),
        esmeVariant: z.enum(ESME_VARIANTS).optional(),
      })
      .strict()
      .optional(),
    commsHub: linkedDevice(z.literal('CHF').optional()).optional(),
    gpf: linkedDevice(z.literal('GPF').optional()).optional(),
    hanDevices: z
      .array(linkedDevice(z.enum(['PPMID', 'HCALCS', 'IHD'])))
      .max(8)
      .default([]),
    supplier: appointment.optional(),
    exportSupplier: appointment.optional(),
    mdr: appointment.optional(),
    networkOperator: appointment.optional(),
    gridConnection: z
      .object({
        substation: z.string().regex(GRID_TOKEN, 'must be 1-64 letters, digits, "-" or "_"'),
        feeder: z.string().regex(GRID_TOKEN, 'must be 1-64 letters, digits, "-" or "_"'),
      })
      .strict()
      .optional(),
  })
  .strict();

const COHORTS = { IOC: Smets1Cohort.IOC, MOC: Smets1Cohort.MOC, FOC: Smets1Cohort.FOC } as const;
const REGIONS = { North: CspRegion.NORTH, Central: CspRegion.CENTRAL, South: CspRegion.SOUTH } as const;
const KINDS = { dumb: MeterKind.DUMB, SMETS1: MeterKind.SMETS1, SMETS2: MeterKind.SMETS2 } as const;
const ROLE_FIELDS = [
  ['supplier', AppointmentRole.SUPPLIER],
  ['exportSupplier', AppointmentRole.EXPORT_SUPPLIER],
  ['mdr', AppointmentRole.MDR],
  ['networkOperator', AppointmentRole.NETWORK_OPERATOR],
] as const;

/** A blank line or a `#` comment: skipped, but it still has a line number. */
export function isSkippedLine(line: string): boolean {
  const trimmed = line.trim();
  return trimmed === '' || trimmed.startsWith('#');
}

/**
 * One feed line as a row, or INVALID_ARGUMENT whose message says what is wrong (every problem of the line's
 * shape at once, then the first problem of its content).
 */
export function parseFeedLine(line: string, options: FeedParseOptions = {}): FeedRow {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (error) {
    throw DccError.invalidArgument(`not JSON: ${(error as Error).message}`);
  }
  const row: ParsedRow = wellFormedRow(json) ?? schemaRow(json);
  const checkDigit = options.checkDigits ?? true;
  const fuel = row.fuel === 'electricity' ? Fuel.ELECTRICITY : Fuel.GAS;
  const mpxn =
    fuel === Fuel.ELECTRICITY
      ? parseMpan(row.mpxn, { checkDigit, field: 'mpxn (MPAN core)' })
      : parseMprn(row.mpxn, { checkDigit, field: 'mpxn (MPRN)' });
  const kind = KINDS[row.meterKind];
  if ((kind === MeterKind.SMETS1) !== (row.smets1Cohort !== undefined)) {
    throw DccError.invalidArgument('smets1Cohort is required for SMETS1 points and only for them');
  }
  if ((kind === MeterKind.SMETS2) !== (row.cspRegion !== undefined)) {
    throw DccError.invalidArgument('cspRegion is required for SMETS2 points and only for them');
  }
  let device: FeedDevice | undefined;
  if (row.device) {
    if (kind === MeterKind.DUMB) throw DccError.invalidArgument('a dumb meter point has no smart device');
    const type = row.device.type ?? (fuel === Fuel.ELECTRICITY ? 'ESME' : 'GSME');
    if ((type === 'ESME') !== (fuel === Fuel.ELECTRICITY)) {
      throw DccError.invalidArgument(`device.type ${type} does not meter ${row.fuel}`);
    }
    if (row.device.esmeVariant !== undefined && type !== 'ESME') {
      throw DccError.invalidArgument('device.esmeVariant: only an ESME has a variant');
    }
    device = {
      id: parseEui64(row.device.id, 'device.id'),
      type,
      status: DEVICE_STATUS_NAMES.indexOf(row.device.status as never) as DeviceStatus,
      model: row.device.model,
      firmwareVersion: row.device.firmwareVersion,
      kaPublicKey:
        row.device.kaPublicKey === undefined
          ? ''
          : normaliseKaPublicKey(row.device.kaPublicKey, 'device.kaPublicKey'),
      esmeVariant: row.device.esmeVariant ?? '',
    };
  }
  const linked = linkedDevicesOf(row, kind, fuel);
  const ids = [device?.id, linked.commsHub?.id, linked.gpf?.id, ...linked.hanDevices.map((d) => d.id)];
  const seen = new Set<string>();
  for (const id of ids) {
    if (id === undefined) continue;
    if (seen.has(id)) throw DccError.invalidArgument(`device ${id} appears twice on the line`);
    seen.add(id);
  }
  if (row.gridConnection && fuel !== Fuel.ELECTRICITY) {
    throw DccError.invalidArgument('gridConnection: only an electricity point is on a feeder');
  }
  const appointments: FeedAppointment[] = [];
  for (const [field, role] of ROLE_FIELDS) {
    const given = row[field];
    if (!given) continue;
    if (fuel === Fuel.GAS && (role === AppointmentRole.EXPORT_SUPPLIER || role === AppointmentRole.MDR)) {
      throw DccError.invalidArgument(`${field} is an electricity appointment`);
    }
    const partyId =
      given.party === null || given.party === '' ? '' : parseEui64(given.party, `${field}.party`);
    appointments.push({ role, partyId, fromMs: parseInstant(given.from, `${field}.from`) });
  }
  return {
    mpxn,
    fuel,
    kind,
    cohort: row.smets1Cohort ? COHORTS[row.smets1Cohort] : Smets1Cohort.NONE,
    cspRegion: row.cspRegion ? REGIONS[row.cspRegion] : CspRegion.NONE,
    uprn: row.uprn ?? '',
    postCode: row.postCode ?? '',
    addressIdentifier: row.addressIdentifier ?? '',
    enrolled: row.status === 'enrolled',
    device,
    ...linked,
    appointments,
    gridConnection: row.gridConnection,
  };
}

type ParsedRow = z.infer<typeof rowSchema>;

/** The line checked by the schema: its shape, or INVALID_ARGUMENT naming every problem of it. */
export function schemaRow(json: unknown): ParsedRow {
  const parsed = rowSchema.safeParse(json);
  if (!parsed.success) {
    throw DccError.invalidArgument(
      parsed.error.issues.map((i) => `${i.path.join('.') || 'line'}: ${i.message}`).join('; '),
    );
  }
  return parsed.data;
}

/**
 * The premises' other devices and their links: a comms hub only where there is a smart meter; a GPF only on a
 * gas point and only with its comms hub; HAN devices only with the comms hub they pair with; HCALCS only on
 * electricity.
 */
function linkedDevicesOf(
  row: ParsedRow,
  kind: MeterKind,
  fuel: Fuel,
): Pick<FeedRow, 'commsHub' | 'gpf' | 'hanDevices'> {
  if (kind === MeterKind.DUMB && (row.commsHub || row.gpf || row.hanDevices.length > 0)) {
    throw DccError.invalidArgument('a dumb meter point has no comms hub, GPF or HAN devices');
  }
  if (row.gpf && fuel !== Fuel.GAS) throw DccError.invalidArgument('gpf: only a gas point has a GPF');
  if (row.gpf && !row.commsHub) {
    throw DccError.invalidArgument('gpf: a GPF runs on the comms hub: commsHub is required with it');
  }
  if (row.hanDevices.length > 0 && !row.commsHub) {
    throw DccError.invalidArgument('hanDevices: HAN devices pair with the comms hub: commsHub is required');
  }
  const asDevice = (
    given: { id: string; status: string; model: string; firmwareVersion: string },
    type: string,
    field: string,
  ): FeedDevice => ({
    id: parseEui64(given.id, `${field}.id`),
    type,
    status: DEVICE_STATUS_NAMES.indexOf(given.status as never) as DeviceStatus,
    model: given.model,
    firmwareVersion: given.firmwareVersion,
    kaPublicKey: '',
    esmeVariant: '',
  });
  return {
    commsHub: row.commsHub ? asDevice(row.commsHub, 'CHF', 'commsHub') : undefined,
    gpf: row.gpf ? asDevice(row.gpf, 'GPF', 'gpf') : undefined,
    hanDevices: row.hanDevices.map((d, n) => {
      if (d.type === 'HCALCS' && fuel !== Fuel.ELECTRICITY) {
        throw DccError.invalidArgument(
          `hanDevices.${n}: an HCALCS switches electricity load: not on a gas point`,
        );
      }
      return asDevice(d, d.type, `hanDevices.${n}`);
    }),
  };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.0+)?(Z|[+-]\d{2}:\d{2})$/;

/** A date (midnight UTC), an ISO date-time with a zone, or ms since the epoch; whole seconds only. */
export function parseInstant(value: string | number, field: string): number {
  let ms: number;
  if (typeof value === 'number') ms = value;
  else if (DATE.test(value)) ms = Date.parse(`${value}T00:00:00Z`);
  else if (DATE_TIME.test(value)) ms = Date.parse(value);
  else
    throw DccError.invalidArgument(`${field} "${value}" is not YYYY-MM-DD or an ISO date-time with a zone`);
  if (!Number.isSafeInteger(ms) || ms < 0 || ms % 1000 !== 0) {
    throw DccError.invalidArgument(`${field} ${JSON.stringify(value)} is not a whole second from 1970 on`);
  }
  return ms;
}

export const SMART_DEVICE_TYPES: readonly string[] = DEVICE_TYPES.filter((t) => t !== 'CAD');
