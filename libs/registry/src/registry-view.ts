import { DccError, GrpcStatus, parseMpan, parseMprn, type Eui64, type UserRoleCode } from '@dcc/domain';
import { PointAppointments, type Appointment } from './appointments.js';
import {
  CspRegion,
  DeviceStatus,
  DeviceType,
  Fuel,
  NO_PARTY,
  Smets1Cohort,
  type AppointmentRole,
  type MeterKind,
} from './codes.js';
import { DeviceColumn } from './device-column.js';
import { parseEui64Words, type Eui64Words } from './eui64-words.js';
import { LinkedDevices, NO_LINK } from './linked-devices.js';
import type { DeviceFacts, LinkedDeviceChange, MeterPointInfo, MeterPointInput } from './meter-point.js';
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
  /** Initial size of the linked-device table (CHF, GPF, PPMID, …), which grows by doubling (default 1024). */
  linkedDeviceCapacity?: number;
}

const scratch: Eui64Words = { high: 0, low: 0 };
/** The points a lookup found (registrationFailure, holdingStartMs): no allocation on the request path. */
const found = new Int32Array(2);

/**
 * The compact local view of meter points, their smart meter (ESME/GSME) and effective-dated appointments that
 * access control queries at memory speed. No per-point JS object exists: a point is a row number into typed
 * columns, and the two lookups (MPxN, device id) are open-addressing indexes over those columns. About
 * 64 bytes per point, so 30 million points fit in about 2 GB (TOOLCHAIN.md: a Map of objects stops at 16.7 M).
 *
 * Besides each point's meter it holds every other inventory device (CHF, GPF, PPMID, HCALCS, IHD) with its
 * type, generation, status and links in a compact side table (linked-devices.ts), and each point's route (its
 * CHF, or for gas its GPF): what authorisation and routing need. It is not the system of record: UPRN, device
 * models and firmware live in the registration service's store.
 */
export class RegistryView {
  readonly capacity: number;
  readonly parties: PartyTable;
  private count = 0;
  private readonly mpxns: MpxnColumn;
  private readonly devices: DeviceColumn;
  /** Fuel, meter kind, enrolled, cohort or region, one byte per point (point-meta.ts). */
  private readonly meta: Uint8Array;
  /**
   * How the hub reaches each point's meter: the linked-device row of its CHF (ESME) or of its GPF (GSME, which
   * the hub reaches through the gas proxy function), NO_LINK when none is recorded. 4 bytes per point.
   */
  private readonly routes: Int32Array;
  /** Every other inventory device and its links (linked-devices.ts). */
  private readonly linked: LinkedDevices;
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
    this.routes = new Int32Array(capacity).fill(NO_LINK);
    this.linked = new LinkedDevices(options.linkedDeviceCapacity);
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
    this.checkNotLinked(input.deviceHigh, input.deviceLow);
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
    if (!this.devices.isDevice(point, words.high, words.low)) {
      this.devices.checkFree(words.high, words.low);
      this.checkNotLinked(words.high, words.low);
    }
    this.devices.set(point, words.high, words.low, status);
  }

  /**
   * Records a device other than a point's installed meter (CHF, GPF, PPMID, HCALCS, IHD, or a meter not
   * installed at a point) with its links, or updates it. The comms hub must already be recorded as a CHF; the
   * points must exist. A CHF becomes the route of its electricity points, a GPF of its gas points.
   */
  putLinkedDevice(id: Eui64, change: LinkedDeviceChange): number {
    const words = { high: 0, low: 0 };
    if (!parseEui64Words(id, words)) throw DccError.invalidArgument(`"${id}" is not an EUI-64`);
    if (this.devices.find(words.high, words.low) >= 0) {
      throw new DccError(GrpcStatus.ALREADY_EXISTS, `device ${id} is a meter point's installed meter`);
    }
    checkStatus(change.status);
    if (change.points.length > 2) throw DccError.invalidArgument(`device ${id} joins at most two points`);
    for (const point of change.points) this.checkPoint(point);
    let hub = NO_LINK;
    if (change.commsHubId !== undefined) {
      hub = parseEui64Words(change.commsHubId, scratch) ? this.linked.find(scratch.high, scratch.low) : -1;
      if (hub < 0 || this.linked.type(hub) !== DeviceType.CHF) {
        throw DccError.invalidArgument(`comms hub ${change.commsHubId} is not a CHF in the inventory`);
      }
    }
    const existing = this.linked.find(words.high, words.low);
    if (existing >= 0) this.clearRoutesTo(existing);
    const row = this.linked.put(words.high, words.low, { ...change, hub });
    const routed = change.type === DeviceType.CHF ? Fuel.ELECTRICITY : Fuel.GAS;
    if (change.type === DeviceType.CHF || change.type === DeviceType.GPF) {
      for (const point of change.points) if (metaFuel(this.meta[point]!) === routed) this.routes[point] = row;
    }
    return row;
  }

  /** The linked-device row (stable for the device's life in the table) of a device not installed as a meter, or -1. */
  linkedRowOf(id: string): number {
    return parseEui64Words(id, scratch) ? this.linked.find(scratch.high, scratch.low) : -1;
  }

  /** The id of the device in linked-device row `row`. */
  linkedDeviceId(row: number): Eui64 {
    return this.linked.idOf(row);
  }

  /** Type, generation, status, points and comms hub row of linked-device row `row`, without formatting ids. */
  linkedDeviceRow(row: number): {
    type: DeviceType;
    generation: MeterKind;
    status: DeviceStatus;
    points: number[];
    hubRow: number;
  } {
    const { linked } = this;
    const points = [linked.point(row, 0), linked.point(row, 1)].filter((p) => p !== NO_LINK);
    return {
      type: linked.type(row),
      generation: linked.generation(row),
      status: linked.status(row),
      points,
      hubRow: linked.hub(row),
    };
  }

  /** The MPAN core or MPRN of `point` (allocates a string). */
  mpxnOf(point: number): string {
    this.checkPoint(point);
    return this.mpxns.mpxnOf(point);
  }

  /** Forgets a linked device that is not a comms hub (a pre-notified meter now installed at a point, say). */
  removeLinkedDevice(id: Eui64): void {
    const row = parseEui64Words(id, scratch) ? this.linked.find(scratch.high, scratch.low) : -1;
    if (row < 0) return;
    if (this.linked.type(row) === DeviceType.CHF) {
      throw new DccError(GrpcStatus.FAILED_PRECONDITION, `comms hub ${id} cannot leave the inventory`);
    }
    this.clearRoutesTo(row);
    this.linked.remove(row);
  }

  setLinkedDeviceStatus(id: Eui64, status: DeviceStatus): void {
    checkStatus(status);
    const row = parseEui64Words(id, scratch) ? this.linked.find(scratch.high, scratch.low) : -1;
    if (row >= 0) this.linked.setStatus(row, status);
  }

  get linkedDeviceCount(): number {
    return this.linked.size;
  }

  /**
   * What the inventory says about any device (allocates: one object per answer): type, generation, status,
   * the points it serves, its CSP region or SMETS1 cohort (from its point), its comms hub and, for a GSME, the
   * GPF the hub reaches it through. Undefined when the inventory does not hold the device (E19).
   */
  deviceFacts(id: string): DeviceFacts | undefined {
    if (!parseEui64Words(id, scratch)) return undefined;
    const { high, low } = scratch;
    const point = this.devices.find(high, low);
    if (point >= 0) {
      const meta = this.meta[point]!;
      const route = this.routes[point]!;
      const gas = metaFuel(meta) === Fuel.GAS;
      const hub = route < 0 ? NO_LINK : gas ? this.linked.hub(route) : route;
      return {
        deviceId: this.devices.idOf(point)!,
        type: gas ? DeviceType.GSME : DeviceType.ESME,
        generation: metaKind(meta),
        status: this.devices.status(point),
        points: [point],
        cohort: metaCohort(meta),
        cspRegion: metaRegion(meta),
        commsHubId: hub < 0 ? undefined : this.linked.idOf(hub),
        gpfId: gas && route >= 0 ? this.linked.idOf(route) : undefined,
      };
    }
    const row = this.linked.find(high, low);
    if (row < 0) return undefined;
    const points = [this.linked.point(row, 0), this.linked.point(row, 1)].filter((p) => p !== NO_LINK);
    const home = points[0];
    const hub = this.linked.hub(row);
    return {
      deviceId: this.linked.idOf(row),
      type: this.linked.type(row),
      generation: this.linked.generation(row),
      status: this.linked.status(row),
      points,
      cohort: home === undefined ? Smets1Cohort.NONE : metaCohort(this.meta[home]!),
      cspRegion: home === undefined ? CspRegion.NONE : metaRegion(this.meta[home]!),
      commsHubId: hub < 0 ? undefined : this.linked.idOf(hub),
      gpfId: undefined,
    };
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
    const points = this.pointsOfDevice(deviceId);
    if (points < 0) return 'E19';
    for (let n = 0; n < points; n++) {
      if (this.holds(party, userRole, found[n]!, instantMs)) return undefined;
    }
    return 'E4';
  }

  /**
   * Data segregation: start (ms) of `party`'s holding, in effect at `instantMs`, of the appointment `userRole`
   * needs at the point of `deviceId` (the start of its current supplier appointment, say); 0 when held since
   * the beginning of the record; -1 when the device is unknown or the party did not hold it then (the cases
   * {@link registrationFailure} refuses). A device joined to two points answers for the first that authorises.
   */
  holdingStartMs(party: number, userRole: UserRoleCode, deviceId: string, instantMs: number): number {
    const points = this.pointsOfDevice(deviceId);
    for (let n = 0; n < points; n++) {
      const point = found[n]!;
      if (!this.holds(party, userRole, point, instantMs)) continue;
      const role = appointmentRoleFor(userRole, metaFuel(this.meta[point]!));
      return this.appointments.holdingStartAt(point, role as AppointmentRole, instantMs);
    }
    return -1;
  }

  /** Did `party` hold the appointment `userRole` needs at `point` at `instantMs`? */
  holds(party: number, userRole: UserRoleCode, point: number, instantMs: number): boolean {
    if (party === NO_PARTY) return false;
    const role = appointmentRoleFor(userRole, metaFuel(this.meta[point]!));
    return role !== -1 && this.appointments.holderAt(point, role, instantMs) === party;
  }

  /** Fills `found` with the points the device serves and returns how many; -1 when the device is unknown. */
  private pointsOfDevice(deviceId: string): number {
    if (!parseEui64Words(deviceId, scratch)) return -1;
    const point = this.devices.find(scratch.high, scratch.low);
    if (point >= 0) {
      found[0] = point;
      return 1;
    }
    const row = this.linked.find(scratch.high, scratch.low);
    if (row < 0) return -1;
    let count = 0;
    for (const n of [0, 1] as const) {
      const linked = this.linked.point(row, n);
      if (linked !== NO_LINK) found[count++] = linked;
    }
    return count;
  }

  private clearRoutesTo(row: number): void {
    for (const n of [0, 1] as const) {
      const point = this.linked.point(row, n);
      if (point !== NO_LINK && this.routes[point] === row) this.routes[point] = NO_LINK;
    }
  }

  private checkNotLinked(high: number, low: number): void {
    if (this.linked.find(high, low) >= 0) {
      throw new DccError(
        GrpcStatus.ALREADY_EXISTS,
        `device ${this.linked.idOf(this.linked.find(high, low))} is already in the inventory as another device`,
      );
    }
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
      routes: this.routes.byteLength,
      ...this.linked.columnBytes(),
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
