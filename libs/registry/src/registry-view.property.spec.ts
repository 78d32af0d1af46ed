import { mpanCheckDigit, type Eui64, type UserRoleCode } from '@dcc/domain';
import { describe, expect, it } from 'vitest';
import {
  AppointmentRole,
  CspRegion,
  DeviceStatus,
  Fuel,
  MeterKind,
  NO_PARTY,
  Smets1Cohort,
} from './codes.js';
import { eui64FromWords } from './eui64-words.js';
import { Random } from './random.js';
import { RegistryView } from './registry-view.js';

/**
 * The view against a naive model (Maps, and per point and role a plain list of holdings scanned linearly)
 * under random points, appointment changes, meter exchanges and queries.
 */

const POINTS = 20_000;
const PARTIES = 40;
const ROLES = [0, 1, 2, 3] as const;
const USER_ROLES: UserRoleCode[] = ['IS', 'ES', 'GS', 'ED', 'GT', 'MDR', 'OU'];
const START = Date.UTC(2015, 0, 1);

interface Holding {
  party: number;
  from: number;
}

interface ModelPoint {
  mpxn: string;
  fuel: Fuel;
  device: string | undefined;
  status: DeviceStatus;
  holdings: Holding[][]; // by role, oldest first; starts with "nobody since 0"
}

class Model {
  readonly points: ModelPoint[] = [];
  readonly byDevice = new Map<string, number>();
  readonly byMpxn = new Map<string, number>();

  appoint(point: number, role: number, party: number, from: number): void {
    const list = this.points[point]!.holdings[role]!;
    const last = list[list.length - 1]!;
    if (party === last.party) return;
    if (from === last.from) last.party = party;
    else list.push({ party, from });
  }

  holderAt(point: number, role: number, t: number): number {
    let holder = NO_PARTY;
    for (const h of this.points[point]!.holdings[role]!) if (h.from <= t) holder = h.party;
    return holder;
  }
}

function randomDevice(random: Random, model: Model): { id: Eui64; high: number; low: number } {
  for (;;) {
    const high = random.below(4) === 0 ? random.uint32() : 0xbc33ac00 + random.below(4); // some clustering
    const low = random.uint32();
    const id = eui64FromWords(high, low);
    if ((high !== 0 || low !== 0) && !model.byDevice.has(id)) return { id, high, low };
  }
}

function build(seed: number) {
  const random = new Random(seed);
  const view = new RegistryView({ capacity: POINTS, historyCapacity: 16 });
  const model = new Model();
  for (let p = 1; p <= PARTIES; p++) view.parties.intern(eui64FromWords(0x90b3d51f, p));
  for (let i = 0; i < POINTS; i++) {
    const fuel = random.chance(0.6) ? Fuel.ELECTRICITY : Fuel.GAS;
    let mpxn: string;
    do {
      const first12 = String(10 + random.below(14)) + String(random.below(1e10)).padStart(10, '0');
      mpxn = fuel === Fuel.ELECTRICITY ? first12 + mpanCheckDigit(first12) : String(1e9 + random.below(9e9));
    } while (model.byMpxn.has(mpxn));
    const smart = random.chance(0.95);
    const device = smart ? randomDevice(random, model) : undefined;
    const status = smart ? (random.below(9) as DeviceStatus) : DeviceStatus.NOT_APPLICABLE;
    const point = view.addPoint({
      mpxn,
      fuel,
      kind: smart ? MeterKind.SMETS2 : MeterKind.DUMB,
      enrolled: smart,
      cohort: Smets1Cohort.NONE,
      cspRegion: smart ? CspRegion.SOUTH : CspRegion.NONE,
      deviceHigh: device?.high ?? 0,
      deviceLow: device?.low ?? 0,
      deviceStatus: status,
    });
    expect(point).toBe(i);
    model.points.push({
      mpxn,
      fuel,
      device: device?.id,
      status,
      holdings: ROLES.map(() => [{ party: NO_PARTY, from: 0 }]),
    });
    model.byMpxn.set(mpxn, i);
    if (device) model.byDevice.set(device.id, i);
  }
  // Appointment changes, in a random order across points; per (point, role) starts only move forward.
  const next = new Float64Array(POINTS * 4).fill(START);
  for (let op = 0; op < POINTS * 4; op++) {
    const point = random.below(POINTS);
    const role = random.below(4) as AppointmentRole;
    const at = point * 4 + role;
    // 10 % of changes land on the current start: same-instant corrections.
    if (!random.chance(0.1))
      next[at] = next[at]! + (random.below(400) * 86_400 + random.below(86_400)) * 1_000;
    const party = random.chance(0.1) ? NO_PARTY : 1 + random.below(PARTIES);
    view.appoint(point, role, party, next[at]!);
    model.appoint(point, role, party, next[at]!);
  }
  // Meter exchanges and status changes.
  for (let op = 0; op < 2_000; op++) {
    const point = random.below(POINTS);
    const m = model.points[point]!;
    const status = random.below(10) as DeviceStatus;
    if (m.device === undefined || random.chance(0.5)) {
      if (m.device) model.byDevice.delete(m.device);
      const device = random.chance(0.9) ? randomDevice(random, model) : undefined;
      view.replaceDevice(point, device?.id, status);
      m.device = device?.id;
      if (device) model.byDevice.set(device.id, point);
    } else view.setDeviceStatus(point, status);
    m.status = status;
  }
  return { random, view, model };
}

describe('RegistryView against a naive model', () => {
  for (const seed of [1, 2]) {
    it(`agrees on ${POINTS} random points and 100k random queries (seed ${seed})`, () => {
      const { random, view, model } = build(seed);
      expect(view.size).toBe(POINTS);
      for (const [mpxn, point] of model.byMpxn) expect(view.pointOfMpxn(mpxn)).toBe(point);
      for (const [device, point] of model.byDevice) expect(view.pointOfDevice(device)).toBe(point);
      let mismatches = 0;
      for (let q = 0; q < 100_000; q++) {
        const point = random.below(POINTS);
        const m = model.points[point]!;
        const role = random.below(4);
        const list = m.holdings[role]!;
        const boundary = list[random.below(list.length)]!.from;
        const t = [boundary, boundary - 1, boundary + 1, random.below(12 * 365) * 86_400_000 + START, -5][
          random.below(5)
        ]!;
        if (view.holderAt(point, role as AppointmentRole, t) !== model.holderAt(point, role, t)) mismatches++;

        const device = random.chance(0.9) ? m.device : randomDevice(random, model).id;
        const userRole = USER_ROLES[random.below(USER_ROLES.length)]!;
        const party = random.below(PARTIES + 1);
        if (
          view.registrationFailure(party, userRole, device ?? '', t) !==
          naiveCheck(model, party, userRole, device, t)
        ) {
          mismatches++;
        }
        if (device && view.deviceStatus(device) !== (m.device === device ? m.status : undefined))
          mismatches++;
      }
      expect(mismatches).toBe(0);
      for (let point = 0; point < POINTS; point += 97) {
        for (const role of ROLES) {
          const expected = model.points[point]!.holdings[role]!.filter(
            (h) => h.from !== 0 || h.party !== NO_PARTY,
          );
          expect(view.history(point, role).map((h) => [h.party, h.fromMs])).toEqual(
            expected.reverse().map((h) => [h.party, h.from]),
          );
        }
      }
    });
  }
});

function naiveCheck(
  model: Model,
  party: number,
  userRole: UserRoleCode,
  device: string | undefined,
  t: number,
) {
  const point = device === undefined ? undefined : model.byDevice.get(device);
  if (point === undefined) return 'E19';
  const fuel = model.points[point]!.fuel;
  const needed: Record<string, [Fuel, AppointmentRole]> = {
    IS: [Fuel.ELECTRICITY, AppointmentRole.SUPPLIER],
    ES: [Fuel.ELECTRICITY, AppointmentRole.EXPORT_SUPPLIER],
    MDR: [Fuel.ELECTRICITY, AppointmentRole.MDR],
    ED: [Fuel.ELECTRICITY, AppointmentRole.NETWORK_OPERATOR],
    GS: [Fuel.GAS, AppointmentRole.SUPPLIER],
    GT: [Fuel.GAS, AppointmentRole.NETWORK_OPERATOR],
  };
  const need = needed[userRole];
  if (!need || need[0] !== fuel || party === NO_PARTY) return 'E4';
  return model.holderAt(point, need[1], t) === party ? undefined : 'E4';
}
