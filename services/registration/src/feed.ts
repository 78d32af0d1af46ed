import { DccError, DEVICE_TYPES, parseEui64, parseMpan, parseMprn, type Eui64 } from '@dcc/domain';
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
  enrolled: boolean;
  device: FeedDevice | undefined;
  appointments: FeedAppointment[];
}

const appointment = z
  .object({
    party: z.string().nullable(),
    from: z.union([z.string(), z.number()]),
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
    status: z.enum(['enrolled', 'withdrawn']).default('enrolled'),
    device: z
      .object({
        id: z.string(),
        type: z.enum(['ESME', 'GSME']).optional(),
        status: z.enum(DEVICE_STATUS_NAMES.filter((n) => n !== 'NotApplicable') as [string, ...string[]]),
        model: z.string().max(64).default(''),
        firmwareVersion: z.string().max(64).default(''),
      })
      .strict()
      .optional(),
    supplier: appointment.optional(),
    exportSupplier: appointment.optional(),
    mdr: appointment.optional(),
    networkOperator: appointment.optional(),
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
  const parsed = rowSchema.safeParse(json);
  if (!parsed.success) {
    throw DccError.invalidArgument(
      parsed.error.issues.map((i) => `${i.path.join('.') || 'line'}: ${i.message}`).join('; '),
    );
  }
  const row = parsed.data;
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
    device = {
      id: parseEui64(row.device.id, 'device.id'),
      type,
      status: DEVICE_STATUS_NAMES.indexOf(row.device.status as never) as DeviceStatus,
      model: row.device.model,
      firmwareVersion: row.device.firmwareVersion,
    };
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
    enrolled: row.status === 'enrolled',
    device,
    appointments,
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
