import { DccError, GrpcStatus, parseMpan, parseMprn, type Eui64, type UserRoleCode } from '@dcc/domain';
import { PointAppointments, type Appointment } from './appointments.js';
import { DeviceStatus, Fuel, NO_PARTY, type AppointmentRole } from './codes.js';
import { DeviceColumn } from './device-column.js';
import { parseEui64Words, type Eui64Words } from './eui64-words.js';
import type { MeterPointInfo, MeterPointInput } from './meter-point.js';
import { MpxnColumn } from './mpxn-column.js';
import { PartyTable } from './party-table.js';
import {
  metaCohort,
  metaEnrolled,
  metaFuel,
  metaKind,
  metaRegion,
  metaWithEnrolled,
  packMeta,
} from './point-meta.js';
import { appointmentRoleFor } from './registration-roles.js';

export interface RegistryViewOptions {
  /** Most meter points the view will hold. Every column is allocated for it up front and never grows. */
  capacity: number;
  /** Party numbering to share (e.g. the estate generator's); a new table by default. */
  parties?: PartyTable;
  /** Initial size of the appointment history log, which grows by doubling (default capacity / 8). */
  historyCapacity?: number;
}

const scratch: Eui64Words = { high: 0, low: 0 };

/**
 * The compact local view of meter points, their smart meter (ESME/GSME) and effective-dated appointments that
 * access control queries at memory speed. No per-point JS object exists: a point is a row number into typed
 * columns, and the two lookups (MPxN, device id) are open-addressing indexes over those columns. About
 * 64 bytes per point, so 30 million points fit in about 2 GB (TOOLCHAIN.md: a Map of objects stops at 16.7 M).
 *
 * The view holds what authorisation needs, not the system of record: UPRN, device models, firmware and the
 * other HAN devices live in the registration service's store.
 */
export class RegistryView {
  readonly capacity: number;
  readonly parties: PartyTable;
  private count = 0;
  private readonly mpxns: MpxnColumn;
  private readonly devices: DeviceColumn;
  /** Fuel, meter kind, enrolled, cohort or region, one byte per point (point-meta.ts). */
  private readonly meta: Uint8Array;
  private readonly appointments: PointAppointments;

  constructor(options: RegistryViewOptions) {
    const { capacity } = options;
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > 2 ** 30) {
      throw DccError.invalidArgument(`registry capacity ${capacity} must be an integer from 1 to 2^30`);
    }
    this.capacity = capacity;
    this.parties = options.parties ?? new PartyTable();
    this.mpxns = new MpxnColumn(capacity);
    this.devices = new DeviceColumn(capacity);
    this.meta = new Uint8Array(capacity);
    this.appointments = new PointAppointments(capacity, options.historyCapacity ?? capacity >>> 3);
  }

  get size(): number {
    return this.count;
  }

  /**
   * Adds a point (no appointments yet) and returns its number. RESOURCE_EXHAUSTED when the view already holds
   * `capacity` points: the columns are preallocated, so a bigger estate needs a view built with more capacity.
   * Everything is checked before anything is written, so a refused point leaves no trace.
   */
  addPoint(input: MeterPointInput): number {
    if (this.count >= this.capacity) {
      throw new DccError(
        GrpcStatus.RESOURCE_EXHAUSTED,
        `the registry view is full (capacity ${this.capacity} points); build a view with a larger capacity`,
      );
    }
    if (input.fuel === Fuel.ELECTRICITY) parseMpan(input.mpxn, { checkDigit: false });
    else parseMprn(input.mpxn, { checkDigit: false });
    const meta = packMeta(input.fuel, input.kind, input.enrolled, input.cohort, input.cspRegion);
    checkStatus(input.deviceStatus);
    this.devices.checkFree(input.deviceHigh, input.deviceLow);
    const point = this.count;
    this.mpxns.add(point, input.mpxn); // the last check: ALREADY_EXISTS before it writes
    this.devices.set(point, input.deviceHigh, input.deviceLow, input.deviceStatus);
    this.meta[point] = meta;
    this.count++;
    return point;
  }

  /** `party` (a PartyTable index, NO_PARTY to vacate) holds `role` at `point` from `fromMs` (whole second). */
  appoint(point: number, role: AppointmentRole, party: number, fromMs: number): void {
    this.checkPoint(point);
    if (!(role >= 0 && role <= 3)) throw DccError.invalidArgument(`appointment role ${role} is unknown`);
    if (party !== NO_PARTY && this.parties.idOf(party) === undefined) {
      throw DccError.invalidArgument(`party ${party} is not in the party table`);
    }
    this.appointments.appoint(point, role, party, fromMs);
  }

  /** A meter exchange: the point's smart device becomes `id` (undefined: none) with `status`. */
  replaceDevice(point: number, id: Eui64 | undefined, status: DeviceStatus): void {
    this.checkPoint(point);
    checkStatus(status);
    const words = { high: 0, low: 0 };
    if (id !== undefined && !parseEui64Words(id, words))
      throw DccError.invalidArgument(`"${id}" is not an EUI-64`);
    if (!this.devices.isDevice(point, words.high, words.low)) this.devices.checkFree(words.high, words.low);
    this.devices.set(point, words.high, words.low, status);
  }

  setDeviceStatus(point: number, status: DeviceStatus): void {
    this.checkPoint(point);
    checkStatus(status);
    this.devices.setStatus(point, status);
  }

  setEnrolled(point: number, enrolled: boolean): void {
    this.checkPoint(point);
    this.meta[point] = metaWithEnrolled(this.meta[point]!, enrolled);
  }

  /** The point with this MPAN core or MPRN, or -1. */
  pointOfMpxn(mpxn: string): number {
    return this.mpxns.find(mpxn);
  }

  /** The point whose ESME/GSME has this id (DUIS form), or -1 (also for text that is not an EUI-64). */
  pointOfDevice(id: string): number {
    return parseEui64Words(id, scratch) ? this.devices.find(scratch.high, scratch.low) : -1;
  }

  /** {@link pointOfDevice} for an id already held as words. */
  pointOfDeviceWords(high: number, low: number): number {
    return this.devices.find(high, low);
  }

  /** The device's SMI status, or undefined when the device is unknown (E19). */
  deviceStatus(id: string): DeviceStatus | undefined {
    const point = this.pointOfDevice(id);
    return point < 0 ? undefined : this.devices.status(point);
  }

  /** The party index that held `role` at `point` at `instantMs` (any ms), or NO_PARTY. */
  holderAt(point: number, role: AppointmentRole, instantMs: number): number {
    this.checkPoint(point);
    return this.appointments.holderAt(point, role, instantMs);
  }

  holder(point: number, role: AppointmentRole): number {
    this.checkPoint(point);
    return this.appointments.holder(point, role);
  }

  holderSinceMs(point: number, role: AppointmentRole): number {
    this.checkPoint(point);
    return this.appointments.holderSinceMs(point, role);
  }

  /** Every holding of `role` at `point`, newest first. */
  history(point: number, role: AppointmentRole): Appointment[] {
    this.checkPoint(point);
    return this.appointments.history(point, role);
  }

  /**
   * The registration check of access control: E19 when no point has this device, E4 when `party` did not
   * hold the appointment `userRole` needs on that point at `instantMs`, undefined when it did. Whether the
   * device's status suits the request (E5) is the caller's decision: see {@link deviceStatus}.
   */
  registrationFailure(
    party: number,
    userRole: UserRoleCode,
    deviceId: string,
    instantMs: number,
  ): 'E19' | 'E4' | undefined {
    const point = this.pointOfDevice(deviceId);
    if (point < 0) return 'E19';
    const role = appointmentRoleFor(userRole, metaFuel(this.meta[point]!));
    if (role === -1 || party === NO_PARTY) return 'E4';
    return this.appointments.holderAt(point, role, instantMs) === party ? undefined : 'E4';
  }

  /**
   * Data segregation: start (ms) of `party`'s holding, in effect at `instantMs`, of the appointment `userRole`
   * needs at the point of `deviceId` (the start of its current supplier appointment, say); 0 when held since
   * the beginning of the record; -1 when the device is unknown or the party did not hold it then (the cases
   * {@link registrationFailure} refuses).
   */
  holdingStartMs(party: number, userRole: UserRoleCode, deviceId: string, instantMs: number): number {
    const point = this.pointOfDevice(deviceId);
    if (point < 0 || party === NO_PARTY) return -1;
    const role = appointmentRoleFor(userRole, metaFuel(this.meta[point]!));
    if (role === -1 || this.appointments.holderAt(point, role, instantMs) !== party) return -1;
    return this.appointments.holdingStartAt(point, role, instantMs);
  }

  /** A point's attributes as an object (allocates: for reports and tests, not the hot path). */
  describe(point: number): MeterPointInfo {
    this.checkPoint(point);
    const meta = this.meta[point]!;
    return {
      mpxn: this.mpxns.mpxnOf(point),
      fuel: metaFuel(meta),
      kind: metaKind(meta),
      enrolled: metaEnrolled(meta),
      cohort: metaCohort(meta),
      cspRegion: metaRegion(meta),
      deviceId: this.devices.idOf(point),
      deviceStatus: this.devices.status(point),
    };
  }

  get historyLength(): number {
    return this.appointments.historyLength;
  }

  /** Bytes held, by column (allocated for `capacity`, not just `size`), for memory reports. */
  columnBytes(): Record<string, number> {
    return {
      ...this.mpxns.columnBytes(),
      ...this.devices.columnBytes(),
      meta: this.meta.byteLength,
      ...this.appointments.columnBytes(),
    };
  }

  private checkPoint(point: number): void {
    if (!(point >= 0 && point < this.count && Number.isInteger(point))) {
      throw DccError.invalidArgument(`meter point number ${point} is not in the view (size ${this.count})`);
    }
  }
}

function checkStatus(status: number): void {
  if (!(
    status >= DeviceStatus.PENDING &&
    status <= DeviceStatus.NOT_APPLICABLE &&
    Number.isInteger(status)
  )) {
    throw DccError.invalidArgument(`device status ${status} is unknown`);
  }
}
