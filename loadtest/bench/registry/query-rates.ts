import { AppointmentRole, Fuel, Random, type RegistryView } from '@dcc/registry';
import type { UserRoleCode } from '@dcc/domain';

export interface QueryRate {
  name: string;
  queries: number;
  seconds: number;
  perSecond: number;
  /** Process CPU time over wall time while measuring: ~1.0 means one core. */
  cores: number;
  /** Answers that were not what the query set expects (must be 0; also keeps the loop from being optimised away). */
  wrong: number;
}

/** Sets of random queries, built before timing so the loops measure only the view. */
export interface QuerySets {
  deviceIds: string[];
  devicePoints: Int32Array;
  deviceWords: Uint32Array;
  mpxns: string[];
  holderPoints: Int32Array;
  holderInstants: Float64Array;
  authParty: Uint16Array;
  authRole: UserRoleCode[];
}

const DAY_MS = 86_400_000;
const NOW_MS = Date.UTC(2026, 0, 1);

export function buildQuerySets(view: RegistryView, count: number, seed: number): QuerySets {
  const random = new Random(seed);
  const sets: QuerySets = {
    deviceIds: [],
    devicePoints: new Int32Array(count),
    deviceWords: new Uint32Array(count * 2),
    mpxns: [],
    holderPoints: new Int32Array(count),
    holderInstants: new Float64Array(count),
    authParty: new Uint16Array(count),
    authRole: [],
  };
  for (let i = 0; i < count; i++) {
    let point: number;
    let info;
    do {
      point = random.below(view.size);
      info = view.describe(point);
    } while (info.deviceId === undefined);
    sets.deviceIds.push(info.deviceId);
    sets.devicePoints[i] = point;
    const hex = info.deviceId.replaceAll('-', '');
    sets.deviceWords[i * 2] = parseInt(hex.slice(0, 8), 16);
    sets.deviceWords[i * 2 + 1] = parseInt(hex.slice(8), 16);
    sets.mpxns.push(info.mpxn);
    sets.holderPoints[i] = random.below(view.size);
    // Half ask about now, half about an instant in the last ten years (which walks the history when needed).
    sets.holderInstants[i] = random.chance(0.5) ? NOW_MS : NOW_MS - random.below(3_650) * DAY_MS;
    sets.authParty[i] = view.holder(point, AppointmentRole.SUPPLIER);
    sets.authRole.push(info.fuel === Fuel.ELECTRICITY ? 'IS' : 'GS');
  }
  return sets;
}

/** Runs `body(i)` for i over `total` queries (cycling the sets) and reports the rate. */
export function measureRate(
  name: string,
  total: number,
  setSize: number,
  body: (i: number) => boolean,
): QueryRate {
  const cpu = process.cpuUsage();
  const start = performance.now();
  let wrong = 0;
  for (let i = 0, j = 0; i < total; i++, j = j + 1 === setSize ? 0 : j + 1) if (!body(j)) wrong++;
  const seconds = (performance.now() - start) / 1_000;
  const used = process.cpuUsage(cpu);
  return {
    name,
    queries: total,
    seconds: round(seconds, 3),
    perSecond: Math.round(total / seconds),
    cores: round((used.user + used.system) / 1e6 / seconds, 2),
    wrong,
  };
}

/** The query loops, each over the same random sample of points. */
export function runQueries(view: RegistryView, sets: QuerySets, total: number): QueryRate[] {
  const n = sets.deviceIds.length;
  const { deviceIds, devicePoints, deviceWords, mpxns, holderPoints, holderInstants, authParty, authRole } =
    sets;
  let sink = 0;
  const rates = [
    measureRate(
      'device id → point (EUI-64 text)',
      total,
      n,
      (i) => view.pointOfDevice(deviceIds[i]!) === devicePoints[i],
    ),
    measureRate(
      'device id → point (words)',
      total,
      n,
      (i) => view.pointOfDeviceWords(deviceWords[i * 2]!, deviceWords[i * 2 + 1]!) === devicePoints[i],
    ),
    measureRate('MPxN → point', total, n, (i) => view.pointOfMpxn(mpxns[i]!) === devicePoints[i]),
    measureRate('holderAt(point, supplier, T)', total, n, (i) => {
      sink += view.holderAt(holderPoints[i]!, AppointmentRole.SUPPLIER, holderInstants[i]!);
      return true;
    }),
    measureRate(
      'registrationFailure (E19/E4 check)',
      total,
      n,
      (i) => view.registrationFailure(authParty[i]!, authRole[i]!, deviceIds[i]!, NOW_MS) === undefined,
    ),
  ];
  if (sink < 0) console.log(sink); // keeps the holderAt results observable
  return rates;
}

function round(value: number, places: number): number {
  return Math.round(value * 10 ** places) / 10 ** places;
}
