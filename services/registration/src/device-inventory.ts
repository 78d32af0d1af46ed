import { DccError, GrpcStatus, parseEui64, type Eui64 } from '@dcc/domain';
import type { DeviceInstalled } from '@dcc/proto';
import {
  DEVICE_TYPE_NAMES,
  DeviceStatus,
  DeviceType,
  Fuel,
  InventoryDetails,
  MeterKind,
  type DeviceDescription,
  type RegistryView,
} from '@dcc/registry';
import { statusFromWire } from './codes.js';

/** A device of the Smart Metering Inventory (the view holds only each point's ESME/GSME and its status). */
export interface DeviceRecord {
  deviceId: string;
  deviceType: string;
  mpxn: string;
  model: string;
  firmwareVersion: string;
  smetsGeneration: string;
  status: DeviceStatus;
  commsHubId: string;
  /** The second meter point a CHF, PPMID or IHD of a dual-fuel premises is joined to. */
  additionalMpxns: string[];
  /** A meter's KA public key, base64 SPKI DER (UTRNs are made with it); empty: none registered. */
  kaPublicKey: string;
  /** DUIS DeviceManufacturer, SMETSCHTSVersion and (an ESME's) ESMEVariant; empty: not recorded. */
  manufacturer: string;
  smetsChtsVersion: string;
  esmeVariant: string;
}

/**
 * The Smart Metering Inventory without a JS object per device: an ESME/GSME installed at a point is that point's
 * meter in the view, every other device (and a meter installed nowhere) a linked device with its points and
 * comms hub; what only the record shows (model and firmware, a meter's comms hub, the devices at each point,
 * UPRNs) is in InventoryDetails' columns. A DeviceRecord is built when asked for.
 */
export class DeviceInventory {
  private readonly details: InventoryDetails;
  /** Meters naming a comms hub not (yet) in the inventory as a CHF, by point: a rare case, kept as text. */
  private readonly pendingHubs = new Map<number, string>();
  /**
   * Meters' KA public keys (base64 SPKI DER) by device id: only devices that have one registered. A Map, unlike
   * the columns: ~150 B a key, so it is the largest part of a device's inventory cost when every meter has one.
   */
  private readonly kaKeys = new Map<string, string>();
  private metersInstalled = 0;

  constructor(
    private readonly view: RegistryView,
    capacity: number,
  ) {
    this.details = new InventoryDetails(capacity);
  }

  get size(): number {
    return this.metersInstalled + this.view.linkedDeviceCount;
  }

  get(id: string): DeviceRecord | undefined {
    return this.deviceRecord(id);
  }

  /** The devices at a point: its meter, then the other devices in the order they were joined to it. */
  at(point: number): DeviceRecord[] {
    const meter = this.view.describe(point).deviceId;
    const ids = this.details
      .linkedRowsAt(point)
      .reverse()
      .map((row) => this.view.linkedDeviceId(row));
    return (meter === undefined ? ids : [meter, ...ids]).map((id) => this.deviceRecord(id)!);
  }

  /** An installed ESME's variant ('' when none is recorded), read from its point's column: cheap enough to ask per request. */
  esmeVariantAt(point: number): string {
    return this.details.meterDescription(point).esmeVariant;
  }

  uprn(point: number): string {
    return this.details.uprn(point);
  }

  setUprn(point: number, uprn: string): void {
    this.details.setUprn(point, uprn);
  }

  /** A device's record from the columns, or undefined when the inventory does not hold it. */
  private deviceRecord(id: string): DeviceRecord | undefined {
    const { view, details } = this;
    const point = view.pointOfDevice(id);
    if (point >= 0) {
      const info = view.describe(point);
      const hub = details.meterHub(point);
      return {
        deviceId: id,
        deviceType: info.fuel === Fuel.ELECTRICITY ? 'ESME' : 'GSME',
        mpxn: info.mpxn,
        ...details.meterDescription(point),
        smetsGeneration: meterKindGeneration(info.kind),
        status: info.deviceStatus,
        commsHubId: hub >= 0 ? view.linkedDeviceId(hub) : (this.pendingHubs.get(point) ?? ''),
        additionalMpxns: [],
        kaPublicKey: this.kaKeys.get(id) ?? '',
      };
    }
    const row = view.linkedRowOf(id);
    if (row < 0) return undefined;
    const facts = view.linkedDeviceRow(row);
    const [first, ...others] = facts.points.map((p) => view.mpxnOf(p));
    return {
      deviceId: id,
      deviceType: DEVICE_TYPE_NAMES[facts.type],
      mpxn: first ?? '',
      ...details.linkedDescription(row),
      smetsGeneration: meterKindGeneration(facts.generation),
      status: facts.status,
      commsHubId: facts.hubRow >= 0 ? view.linkedDeviceId(facts.hubRow) : '',
      additionalMpxns: others,
      kaPublicKey: this.kaKeys.get(id) ?? '',
    };
  }

  /**
   * A device's full record: an ESME/GSME installed at a point is that point's meter in the view; every other
   * device (and a meter installed nowhere) is a linked device with its points and comms hub. Links the commands
   * did not validate (a comms hub that is not a CHF) are dropped rather than thrown: the event is stored.
   */
  apply(d: DeviceInstalled): void {
    const status = statusFromWire(d.status);
    if (status === undefined) throw DccError.invalidArgument(`device ${d.deviceId} without a status`);
    const id = parseEui64(d.deviceId);
    const type = DEVICE_TYPE_NAMES.indexOf(d.deviceType as never) as DeviceType | -1;
    if (type === -1) throw DccError.invalidArgument(`device ${id} has an unknown type ${d.deviceType}`);
    const { view, details } = this;
    const generation = generationOf(d.smetsGeneration);
    const description = descriptionOf(d);
    if (d.kaPublicKey.length > 0) this.kaKeys.set(id, Buffer.from(d.kaPublicKey).toString('base64'));
    else this.kaKeys.delete(id);
    this.unlinkRow(view.linkedRowOf(id));
    if (type !== DeviceType.ESME && type !== DeviceType.GSME) {
      const points = [d.mpxn, ...d.additionalMpxns]
        .filter((m) => m !== '')
        .map((m) => view.pointOfMpxn(m))
        .filter((p) => p >= 0);
      const row = view.putLinkedDevice(id, {
        type,
        generation,
        status,
        points,
        commsHubId: this.chfRow(d.commsHubId) >= 0 ? (d.commsHubId as Eui64) : undefined,
      });
      this.linkRow(row, points, description);
      if (type === DeviceType.CHF) this.resolvePendingHubs(id, row);
      return;
    }
    const oldPoint = view.pointOfDevice(id);
    if (oldPoint >= 0 && view.mpxnOf(oldPoint) !== d.mpxn) this.uninstallMeter(oldPoint);
    if (d.mpxn === '') {
      const row = view.putLinkedDevice(id, { type, generation, status, points: [], commsHubId: undefined });
      this.linkRow(row, [], description);
      return;
    }
    const point = this.pointOf(d.mpxn);
    // A meter exchange: the point's former meter stays in the inventory, installed nowhere.
    const former = view.describe(point).deviceId;
    if (former !== undefined && former !== id) {
      const formerRecord = this.deviceRecord(former)!;
      this.uninstallMeter(point);
      const row = view.putLinkedDevice(former, {
        type: formerRecord.deviceType === 'GSME' ? DeviceType.GSME : DeviceType.ESME,
        generation: generationOf(formerRecord.smetsGeneration),
        status: formerRecord.status,
        points: [],
        commsHubId: undefined,
      });
      this.linkRow(row, [], descriptionOf(formerRecord));
    }
    view.removeLinkedDevice(id);
    if (view.describe(point).deviceId === undefined) this.metersInstalled++;
    view.replaceDevice(point, id, status);
    const hubRow = this.chfRow(d.commsHubId);
    details.setMeter(point, description, hubRow);
    if (hubRow < 0 && d.commsHubId !== '') this.pendingHubs.set(point, d.commsHubId);
    else this.pendingHubs.delete(point);
  }

  /**
   * The device leaves the inventory (SRV 8.4 DeleteDevice): a meter installed at a point leaves the point, any
   * other device leaves its points' chains. A CHF cannot leave (the view refuses it: devices pair with it).
   */
  remove(id: string): void {
    const { view } = this;
    const point = view.pointOfDevice(id);
    if (point >= 0) this.uninstallMeter(point);
    else {
      const row = view.linkedRowOf(id);
      if (row < 0) throw DccError.invalidArgument(`unknown device ${id}`);
      if (view.linkedDeviceRow(row).type === DeviceType.CHF) {
        throw new DccError(GrpcStatus.FAILED_PRECONDITION, `comms hub ${id} cannot leave the inventory`);
      }
      this.unlinkRow(row);
      view.removeLinkedDevice(id as Eui64);
    }
    this.kaKeys.delete(id);
  }

  private uninstallMeter(point: number): void {
    this.view.replaceDevice(point, undefined, DeviceStatus.NOT_APPLICABLE);
    this.details.setMeter(point, descriptionOf({}), -1);
    this.pendingHubs.delete(point);
    this.metersInstalled--;
  }

  /** Records a linked row's details and joins it to its points' chains. */
  private linkRow(row: number, points: readonly number[], description: DeviceDescription): void {
    this.details.setLinked(row, description);
    points.forEach((point, slot) => this.details.link(point, row, slot as 0 | 1));
  }

  /** Takes a linked row out of its points' chains (before its points change). */
  private unlinkRow(row: number): void {
    if (row < 0) return;
    const facts = this.view.linkedDeviceRow(row);
    facts.points.forEach((point, slot) => this.details.unlink(point, row, slot as 0 | 1));
  }

  /** The linked-device row of comms hub `id` when the inventory holds it as a CHF, else -1. */
  private chfRow(id: string): number {
    const row = id === '' ? -1 : this.view.linkedRowOf(id);
    return row >= 0 && this.view.linkedDeviceRow(row).type === DeviceType.CHF ? row : -1;
  }

  /** Meters recorded before their comms hub (a record written in that order) get its row once it arrives. */
  private resolvePendingHubs(hubId: string, row: number): void {
    for (const [point, pending] of this.pendingHubs) {
      if (pending !== hubId) continue;
      this.details.setMeter(point, this.details.meterDescription(point), row);
      this.pendingHubs.delete(point);
    }
  }

  private pointOf(mpxn: string): number {
    const point = this.view.pointOfMpxn(mpxn);
    if (point < 0) throw DccError.invalidArgument(`meter point ${mpxn} is not registered`);
    return point;
  }
}

/** The descriptive fields of a record or event (absent ones empty). */
const descriptionOf = (d: Partial<DeviceDescription>): DeviceDescription => ({
  model: d.model ?? '',
  firmwareVersion: d.firmwareVersion ?? '',
  manufacturer: d.manufacturer ?? '',
  smetsChtsVersion: d.smetsChtsVersion ?? '',
  esmeVariant: d.esmeVariant ?? '',
});

/** The view's generation for an inventory record's `smets_generation` (DUMB when not stated). */
export function generationOf(generation: string): MeterKind {
  return generation === 'SMETS1'
    ? MeterKind.SMETS1
    : generation === 'SMETS2'
      ? MeterKind.SMETS2
      : MeterKind.DUMB;
}

export const meterKindGeneration = (kind: MeterKind): string =>
  kind === MeterKind.SMETS1 ? 'SMETS1' : kind === MeterKind.SMETS2 ? 'SMETS2' : '';
