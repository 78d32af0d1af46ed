import { DccError, GrpcStatus, parseEui64, type Eui64 } from '@dcc/domain';
import type { RegistrationEvent } from '@dcc/proto';
import {
  AppointmentRole,
  CspRegion,
  DeviceStatus,
  Fuel,
  NO_PARTY,
  RegistryView,
  Smets1Cohort,
} from '@dcc/registry';
import { fuelFromWire, kindFromWire, statusFromWire } from './codes.js';
import { DeviceInventory, type DeviceRecord } from './device-inventory.js';
import { GridConnections } from './grid-connections.js';
import { PremisesAddresses } from './premises-addresses.js';

export { generationOf, meterKindGeneration, type DeviceRecord } from './device-inventory.js';

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
  /** Every inventory device (devices.get builds a record on demand), UPRNs: columns beside the view's. */
  readonly devices: DeviceInventory;
  /** Each point's feeder and substation (feeds' `gridConnection`), for the network operators' grid feeds. */
  readonly grid = new GridConnections();
  /** Each point's premises postcode and address identifier (feeds' `postCode`, `addressIdentifier`), for 12.1. */
  readonly addresses = new PremisesAddresses();
  private readonly tenancies = new Map<number, number[]>();
  readonly switches = new Map<string, SwitchRecord>();
  /** Other Users' consents by point, oldest first (a Map keyed by point: only consenting points cost). */
  private readonly consents = new Map<number, ConsentRecord[]>();
  /** Stream sequence of the last event applied. */
  lastSeq = 0;
  definitiveReadingsRequired = 0;

  constructor(capacity: number) {
    this.view = new RegistryView({ capacity, historyCapacity: Math.max(1024, capacity >>> 2) });
    this.devices = new DeviceInventory(this.view, capacity);
  }

  /** The point of an MPxN, or NOT_FOUND. */
  point(mpxn: string): number {
    const point = this.view.pointOfMpxn(mpxn);
    if (point < 0) throw new DccError(GrpcStatus.NOT_FOUND, `meter point ${mpxn} is not registered`);
    return point;
  }

  uprnOf(point: number): string {
    return this.devices.uprn(point);
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

  /** The devices at a point: its meter, then the other devices in the order they were joined to it. */
  devicesAt(mpxn: string): DeviceRecord[] {
    const point = this.view.pointOfMpxn(mpxn);
    return point < 0 ? [] : this.devices.at(point);
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
        this.devices.setUprn(point, p.uprn);
        this.addresses.set(point, p.postCode, p.addressIdentifier);
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
        return this.devices.apply(change.value);
      case 'deviceDeleted':
        return this.devices.remove(change.value.deviceId);
      case 'deviceStatusChanged': {
        const d = change.value;
        const status = statusFromWire(d.status);
        const point = this.view.pointOfDevice(d.deviceId);
        if (status === undefined || (point < 0 && this.view.linkedRowOf(d.deviceId) < 0)) {
          throw DccError.invalidArgument(`unknown device ${d.deviceId}`);
        }
        if (point >= 0) this.view.setDeviceStatus(point, status);
        else this.view.setLinkedDeviceStatus(d.deviceId as Eui64, status);
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
      case 'gridConnectionChanged': {
        const g = change.value;
        this.grid.set(this.point(g.mpxn), { substation: g.substation, feeder: g.feeder });
        return;
      }
      default:
        throw DccError.invalidArgument('registration event without a change');
    }
  }

  switchOf(id: string): SwitchRecord {
    const s = this.switches.get(id);
    if (!s) throw new DccError(GrpcStatus.NOT_FOUND, `switch ${id} is unknown`);
    return s;
  }
}
