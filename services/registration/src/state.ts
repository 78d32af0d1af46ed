import { DccError, GrpcStatus, parseEui64, type Eui64 } from '@dcc/domain';
import type { DeviceInstalled, RegistrationEvent } from '@dcc/proto';
import {
  AppointmentRole,
  CspRegion,
  DEVICE_TYPE_NAMES,
  DeviceStatus,
  DeviceType,
  Fuel,
  MeterKind,
  NO_PARTY,
  RegistryView,
  Smets1Cohort,
} from '@dcc/registry';
import { fuelFromWire, kindFromWire, statusFromWire } from './codes.js';

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
}

/** An Other User's consent at a meter point (kept in the service's state, not the typed-array view). */
export interface ConsentRecord {
  partyId: string;
  fromMs: number;
  /** Exclusive end; 0 = open-ended. */
  untilMs: number;
  /** 0 = not revoked. */
  revokedAtMs: number;
  revokedReason: string;
}

export type SwitchState = 'pending' | 'objected' | 'completed' | 'unpicked';

export interface SwitchRecord {
  id: string;
  mpxn: string;
  fuel: Fuel;
  gainingSupplierId: string;
  losingSupplierId: string;
  effectiveMs: number;
  objectionDeadlineMs: number;
  irrevocable: boolean;
  state: SwitchState;
  /** An objection was raised (and, when the state is pending again, resolved): one objection per switch. */
  objected: boolean;
  resolveDeadlineMs: number;
}

/**
 * Everything the registration record says, materialised from its events: the compact {@link RegistryView}
 * for authorisation, plus what the view does not hold (UPRN, the inventory's device details, tenancies and
 * change-of-supplier workflows). `apply` is the only writer; the record's events are applied in stream order
 * at start and after each PubAck while running, so both paths build the same state.
 */
export class RegistrationState {
  readonly view: RegistryView;
  readonly devices = new Map<string, DeviceRecord>();
  private readonly devicesOfPoint = new Map<string, Set<string>>();
  private readonly uprns = new Map<number, string>();
  private readonly tenancies = new Map<number, number[]>();
  readonly switches = new Map<string, SwitchRecord>();
  /** Other Users' consents by point, oldest first (a Map keyed by point: only consenting points cost). */
  private readonly consents = new Map<number, ConsentRecord[]>();
  /** Stream sequence of the last event applied. */
  lastSeq = 0;
  definitiveReadingsRequired = 0;

  constructor(capacity: number) {
    this.view = new RegistryView({ capacity, historyCapacity: Math.max(1024, capacity >>> 2) });
  }

  /** The point of an MPxN, or NOT_FOUND. */
  point(mpxn: string): number {
    const point = this.view.pointOfMpxn(mpxn);
    if (point < 0) throw new DccError(GrpcStatus.NOT_FOUND, `meter point ${mpxn} is not registered`);
    return point;
  }

  uprnOf(point: number): string {
    return this.uprns.get(point) ?? '';
  }

  tenancyStarts(point: number): readonly number[] {
    return this.tenancies.get(point) ?? [];
  }

  /** Start of the tenancy in effect at `instantMs` (0 when none recorded by then). */
  tenancyAt(point: number, instantMs: number): number {
    let result = 0;
    for (const start of this.tenancyStarts(point)) if (start <= instantMs) result = start;
    return result;
  }

  consentsAt(point: number): readonly ConsentRecord[] {
    return this.consents.get(point) ?? [];
  }

  /** The consent of `partyId` in effect at `instantMs` at the point, if any. */
  consentAt(point: number, partyId: string, instantMs: number): ConsentRecord | undefined {
    const list = this.consents.get(point);
    if (!list) return undefined;
    return list.find(
      (c) =>
        c.partyId === partyId &&
        c.fromMs <= instantMs &&
        (c.untilMs === 0 || instantMs < c.untilMs) &&
        (c.revokedAtMs === 0 || instantMs < c.revokedAtMs),
    );
  }

  devicesAt(mpxn: string): DeviceRecord[] {
    return [...(this.devicesOfPoint.get(mpxn) ?? [])].map((id) => this.devices.get(id)!);
  }

  /** The switch in progress (pending or objected) at the point, if any. */
  openSwitch(mpxn: string): SwitchRecord | undefined {
    for (const s of this.switches.values()) {
      if (s.mpxn === mpxn && (s.state === 'pending' || s.state === 'objected')) return s;
    }
    return undefined;
  }

  switchesAt(mpxn: string): SwitchRecord[] {
    return [...this.switches.values()].filter((s) => s.mpxn === mpxn);
  }

  partyId(index: number): string {
    return this.view.parties.idOf(index) ?? '';
  }

  partyIndex(id: string): number {
    return id === '' ? NO_PARTY : this.view.parties.intern(parseEui64(id));
  }

  apply(event: RegistrationEvent): void {
    const change = event.change;
    switch (change?.$case) {
      case 'meterPointUpserted': {
        const p = change.value;
        let point = this.view.pointOfMpxn(p.mpxn);
        if (point < 0) {
          const fuel = fuelFromWire(p.fuel);
          const kind = kindFromWire(p.meterKind);
          if (fuel === undefined || kind === undefined)
            throw DccError.invalidArgument('point without fuel or kind');
          point = this.view.addPoint({
            mpxn: p.mpxn,
            fuel,
            kind,
            enrolled: p.enrolled,
            cohort: p.smets1Cohort as number as Smets1Cohort,
            cspRegion: p.cspRegion as number as CspRegion,
            deviceHigh: 0,
            deviceLow: 0,
            deviceStatus: DeviceStatus.NOT_APPLICABLE,
          });
        } else {
          this.view.setEnrolled(point, p.enrolled);
        }
        if (p.uprn) this.uprns.set(point, p.uprn);
        else this.uprns.delete(point);
        return;
      }
      case 'appointmentChanged': {
        const a = change.value;
        this.view.appoint(
          this.point(a.mpxn),
          (a.role - 1) as AppointmentRole,
          this.partyIndex(a.partyId),
          a.effectiveFromMs,
        );
        return;
      }
      case 'deviceInstalled':
        return this.applyDevice(change.value);
      case 'deviceStatusChanged': {
        const d = change.value;
        const record = this.devices.get(d.deviceId);
        const status = statusFromWire(d.status);
        if (!record || status === undefined) throw DccError.invalidArgument(`unknown device ${d.deviceId}`);
        record.status = status;
        const point = this.view.pointOfDevice(d.deviceId);
        if (point >= 0) this.view.setDeviceStatus(point, status);
        else this.view.setLinkedDeviceStatus(record.deviceId as Eui64, status);
        return;
      }
      case 'tenancyStarted': {
        const t = change.value;
        const point = this.point(t.mpxn);
        const starts = this.tenancies.get(point) ?? [];
        if (!starts.includes(t.startedAtMs)) starts.push(t.startedAtMs);
        starts.sort((a, b) => a - b);
        this.tenancies.set(point, starts);
        return;
      }
      case 'switchRequested': {
        const s = change.value;
        this.switches.set(s.switchId, {
          id: s.switchId,
          mpxn: s.mpxn,
          fuel: fuelFromWire(s.fuel) ?? Fuel.ELECTRICITY,
          gainingSupplierId: s.gainingSupplierId,
          losingSupplierId: s.losingSupplierId,
          effectiveMs: s.effectiveMs,
          objectionDeadlineMs: s.objectionDeadlineMs,
          irrevocable: s.irrevocable,
          state: 'pending',
          objected: false,
          resolveDeadlineMs: 0,
        });
        return;
      }
      case 'switchObjected': {
        const s = this.switchOf(change.value.switchId);
        s.state = 'objected';
        s.objected = true;
        s.resolveDeadlineMs = change.value.resolveDeadlineMs;
        return;
      }
      case 'switchObjectionResolved':
        this.switchOf(change.value.switchId).state = 'pending';
        return;
      case 'switchUnpicked':
        this.switchOf(change.value.switchId).state = 'unpicked';
        return;
      case 'switchCompleted': {
        const s = this.switchOf(change.value.switchId);
        s.state = 'completed';
        s.effectiveMs = change.value.effectiveMs;
        this.view.appoint(
          this.point(s.mpxn),
          AppointmentRole.SUPPLIER,
          this.partyIndex(s.gainingSupplierId),
          change.value.effectiveMs,
        );
        return;
      }
      case 'consentGranted': {
        const c = change.value;
        const point = this.point(c.mpxn);
        const list = this.consents.get(point) ?? [];
        // A new grant replaces the party's standing consent from its own start.
        for (const old of list) {
          if (old.partyId === c.partyId && old.revokedAtMs === 0) {
            old.revokedAtMs = Math.max(old.fromMs, c.fromMs);
            old.revokedReason = 'replaced';
          }
        }
        list.push({
          partyId: c.partyId,
          fromMs: c.fromMs,
          untilMs: c.untilMs,
          revokedAtMs: 0,
          revokedReason: '',
        });
        this.consents.set(point, list);
        return;
      }
      case 'consentRevoked': {
        const c = change.value;
        for (const record of this.consents.get(this.point(c.mpxn)) ?? []) {
          if (record.partyId === c.partyId && record.revokedAtMs === 0) {
            record.revokedAtMs = Math.max(record.fromMs, c.revokedAtMs);
            record.revokedReason = c.reason;
          }
        }
        return;
      }
      case 'definitiveReadingRequired':
        this.definitiveReadingsRequired++;
        return;
      default:
        throw DccError.invalidArgument('registration event without a change');
    }
  }

  switchOf(id: string): SwitchRecord {
    const s = this.switches.get(id);
    if (!s) throw new DccError(GrpcStatus.NOT_FOUND, `switch ${id} is unknown`);
    return s;
  }

  /**
   * A device's full record: an ESME/GSME installed at a point is that point's meter in the view; every other
   * device (and a meter installed nowhere) is a linked device with its points and comms hub. Links the commands
   * did not validate (a comms hub that is not a CHF) are dropped rather than thrown: the event is stored.
   */
  private applyDevice(d: DeviceInstalled): void {
    const status = statusFromWire(d.status);
    if (status === undefined) throw DccError.invalidArgument(`device ${d.deviceId} without a status`);
    const id = parseEui64(d.deviceId);
    const type = DEVICE_TYPE_NAMES.indexOf(d.deviceType as never) as DeviceType | -1;
    if (type === -1) throw DccError.invalidArgument(`device ${id} has an unknown type ${d.deviceType}`);
    const previous = this.devices.get(id);
    const mpxns = [d.mpxn, ...d.additionalMpxns].filter((m) => m !== '');
    for (const old of previous ? [previous.mpxn, ...previous.additionalMpxns] : []) {
      if (!mpxns.includes(old)) this.devicesOfPoint.get(old)?.delete(id);
    }
    const { view } = this;
    const meter = type === DeviceType.ESME || type === DeviceType.GSME;
    const generation = generationOf(d.smetsGeneration);
    if (meter) {
      const oldPoint = view.pointOfDevice(id);
      if (oldPoint >= 0 && view.describe(oldPoint).mpxn !== d.mpxn) {
        view.replaceDevice(oldPoint, undefined, DeviceStatus.NOT_APPLICABLE);
      }
      if (d.mpxn !== '') {
        const point = this.point(d.mpxn);
        // A meter exchange: the point's former meter stays in the inventory, installed nowhere.
        const former = view.describe(point).deviceId;
        if (former !== undefined && former !== id) {
          const formerRecord = this.devices.get(former);
          this.devicesOfPoint.get(d.mpxn)?.delete(former);
          view.replaceDevice(point, undefined, DeviceStatus.NOT_APPLICABLE);
          if (formerRecord) {
            formerRecord.mpxn = '';
            view.putLinkedDevice(former, {
              type: formerRecord.deviceType === 'GSME' ? DeviceType.GSME : DeviceType.ESME,
              generation: generationOf(formerRecord.smetsGeneration),
              status: formerRecord.status,
              points: [],
              commsHubId: undefined,
            });
          }
        }
        view.removeLinkedDevice(id);
        view.replaceDevice(point, id, status);
      } else {
        view.putLinkedDevice(id, { type, generation, status, points: [], commsHubId: undefined });
      }
    } else {
      const points = mpxns.map((m) => view.pointOfMpxn(m)).filter((p) => p >= 0);
      const hub = d.commsHubId === '' ? undefined : view.deviceFacts(d.commsHubId);
      view.putLinkedDevice(id, {
        type,
        generation,
        status,
        points,
        commsHubId: hub?.type === DeviceType.CHF ? hub.deviceId : undefined,
      });
    }
    for (const mpxn of mpxns) {
      let set = this.devicesOfPoint.get(mpxn);
      if (!set) this.devicesOfPoint.set(mpxn, (set = new Set()));
      set.add(id);
    }
    this.devices.set(id, {
      deviceId: id,
      deviceType: d.deviceType,
      mpxn: d.mpxn,
      model: d.model,
      firmwareVersion: d.firmwareVersion,
      smetsGeneration: d.smetsGeneration,
      status,
      commsHubId: d.commsHubId,
      additionalMpxns: [...d.additionalMpxns],
      kaPublicKey: Buffer.from(d.kaPublicKey).toString('base64'),
    });
  }
}

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
