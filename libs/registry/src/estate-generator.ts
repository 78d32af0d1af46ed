import { DccError, eui64FromBigInt, mpanCheckDigit, mprnCheckDigits } from '@dcc/domain';
import { CspRegion, DeviceStatus, Fuel, MeterKind, NO_PARTY, Smets1Cohort } from './codes.js';
import * as profile from './estate-profile.js';
import { PartyTable } from './party-table.js';
import { cumulative, Random } from './random.js';
import type { MeterPointInput } from './meter-point.js';

/** One generated point with its appointments. Party fields are indexes into the estate's PartyTable. */
export interface EstatePoint extends MeterPointInput {
  supplier: number;
  supplierFromMs: number;
  /** NO_PARTY when the point has had only its current supplier. */
  previousSupplier: number;
  previousSupplierFromMs: number;
  exportSupplier: number;
  exportSupplierFromMs: number;
  mdr: number;
  mdrFromMs: number;
  networkOperator: number;
  networkOperatorFromMs: number;
}

export interface Estate {
  readonly size: number;
  readonly seed: number;
  /** Every party the points refer to; build the view with it so the indexes agree. */
  readonly parties: PartyTable;
  readonly suppliers: readonly number[];
  /**
   * The points, in the same order for the same (size, seed). Yields ONE object, overwritten on each step, so
   * 30 million points allocate nothing that lives; copy a point to keep it.
   */
  points(): Generator<EstatePoint, void, undefined>;
}

const DAY_MS = 86_400_000;
const TWO_32 = 4_294_967_296;
const TWO_40 = 1_099_511_627_776;
/** Odd and prime to 3 and 5, so `offset + n × STRIDE` is a bijection mod 2^40, 10^10 and 9 × 10^7. */
const STRIDE = 7_368_787;

/**
 * A realistic national estate of `size` meter points (see estate-profile.ts for the mix and its sources),
 * deterministic for (size, seed). MPANs and MPRNs carry valid check digits; device ids and MPxNs are unique
 * because their serial parts are `offset + n × STRIDE` for a counter n, a bijection in their range.
 */
export function generateEstate(size: number, seed: number): Estate {
  if (!Number.isInteger(size) || size < 0 || size > 2 ** 30) {
    throw DccError.invalidArgument(`estate size ${size} must be an integer from 0 to 2^30`);
  }
  const parties = new PartyTable();
  const party = (kind: number, n: number, name: string) =>
    parties.intern(eui64FromBigInt(0x90b3d51f_00000000n | (BigInt(kind) << 24n) | BigInt(n)), name);
  const suppliers = profile.SUPPLIER_SHARES.map((_, i) => party(0x31, i + 1, `Supplier ${i + 1}`));
  const distributors = profile.DISTRIBUTOR_AREAS.map((a) => party(0x32, a.id, `DNO ${a.id} ${a.name}`));
  const transporters = profile.GAS_TRANSPORTERS.map((name, i) => party(0x32, 0x40 + i, name));
  const mdrs = profile.MDR_SHARES.map((_, i) => party(0x33, i + 1, `MDR ${i + 1}`));
  return {
    size,
    seed,
    parties,
    suppliers,
    points: () => pointsOf(size, seed, { suppliers, distributors, transporters, mdrs }),
  };
}

interface PartyIndexes {
  suppliers: number[];
  distributors: number[];
  transporters: number[];
  mdrs: number[];
}

function* pointsOf(size: number, seed: number, p: PartyIndexes): Generator<EstatePoint, void, undefined> {
  const random = new Random(seed);
  const weights = {
    area: cumulative(profile.DISTRIBUTOR_AREAS.map((a) => a.customers)),
    kind: cumulative(profile.METER_KIND_SHARES),
    cohort: cumulative(profile.COHORT_SHARES),
    status: cumulative(profile.SMART_STATUS_SHARES),
    supplier: cumulative(profile.SUPPLIER_SHARES),
    mdr: cumulative(profile.MDR_SHARES),
  };
  // Serial-number offsets differ per seed, so two seeds do not share identifiers by accident.
  const offsets = { device: random.below(TWO_40), mpan: random.below(1e10), mprn: random.below(9e7) };
  const mpansInArea = new Array<number>(profile.DISTRIBUTOR_AREAS.length).fill(0);
  let devices = 0;
  let mprns = 0;
  const point = blankPoint();
  let emitted = 0;
  while (emitted < size) {
    const areaIndex = random.pick(weights.area);
    const area = profile.DISTRIBUTOR_AREAS[areaIndex]!;
    const kind = random.pick(weights.kind) as MeterKind;
    const cohort =
      kind === MeterKind.SMETS1 ? profile.COHORTS[random.pick(weights.cohort)]! : Smets1Cohort.NONE;
    const dual = random.chance(profile.SITE_DUAL_FUEL) && emitted + 2 <= size;
    const siteSupplier = p.suppliers[random.pick(weights.supplier)]!;
    for (let meter = 0; meter < (dual ? 2 : 1); meter++) {
      const fuel: Fuel = meter === 0 ? Fuel.ELECTRICITY : Fuel.GAS;
      const electricity = fuel === Fuel.ELECTRICITY;
      point.fuel = fuel;
      if (electricity) {
        const unique = (offsets.mpan + mpansInArea[areaIndex]!++ * STRIDE) % 1e10;
        const first12 = `${area.id}${String(unique).padStart(10, '0')}`;
        point.mpxn = first12 + mpanCheckDigit(first12);
      } else {
        const base = String(10_000_000 + ((offsets.mprn + mprns++ * STRIDE) % 9e7));
        point.mpxn = base + mprnCheckDigits(base);
      }
      point.kind = kind;
      point.cohort = cohort;
      point.cspRegion = kind === MeterKind.SMETS2 ? area.csp : CspRegion.NONE;
      if (kind === MeterKind.DUMB) {
        point.deviceHigh = point.deviceLow = 0;
        point.deviceStatus = DeviceStatus.NOT_APPLICABLE;
        point.enrolled = false;
      } else {
        const makers =
          kind === MeterKind.SMETS1 ? profile.SMETS1_MANUFACTURERS : profile.SMETS2_MANUFACTURERS;
        const serial = (offsets.device + devices++ * STRIDE) % TWO_40;
        point.deviceHigh = makers[random.below(makers.length)]! * 256 + Math.floor(serial / TWO_32);
        point.deviceLow = serial % TWO_32;
        const migrated = kind === MeterKind.SMETS2 || random.chance(profile.SMETS1_ENROLLED);
        point.deviceStatus = migrated ? (random.pick(weights.status) as DeviceStatus) : DeviceStatus.PENDING;
        point.enrolled = migrated && profile.isEnrolledStatus(point.deviceStatus);
      }
      point.supplier =
        electricity || random.chance(profile.SAME_SUPPLIER_BOTH_FUELS)
          ? siteSupplier
          : p.suppliers[random.pick(weights.supplier)]!;
      point.supplierFromMs = profile.ESTATE_NOW_MS - (1 + random.below(8 * 365)) * DAY_MS;
      const switched = random.chance(profile.PREVIOUS_SUPPLIER);
      point.previousSupplier = switched ? otherSupplier(random, p.suppliers, point.supplier) : NO_PARTY;
      point.previousSupplierFromMs = switched
        ? point.supplierFromMs - (1 + random.below(6 * 365)) * DAY_MS
        : 0;
      const exporting = electricity && random.chance(profile.EXPORTING);
      point.exportSupplier = !exporting
        ? NO_PARTY
        : random.chance(profile.EXPORT_WITH_IMPORT_SUPPLIER)
          ? point.supplier
          : p.suppliers[random.pick(weights.supplier)]!;
      point.exportSupplierFromMs = exporting
        ? profile.ESTATE_NOW_MS - (1 + random.below(6 * 365)) * DAY_MS
        : 0;
      const mdr = electricity && point.enrolled && random.chance(profile.MDR_APPOINTED);
      point.mdr = mdr ? p.mdrs[random.pick(weights.mdr)]! : NO_PARTY;
      point.mdrFromMs = mdr ? profile.MHHS_START_MS + random.below(70) * DAY_MS : 0;
      point.networkOperator = electricity ? p.distributors[areaIndex]! : p.transporters[area.gasNetwork]!;
      point.networkOperatorFromMs = 0;
      emitted++;
      yield point;
    }
  }
}

function otherSupplier(random: Random, suppliers: readonly number[], current: number): number {
  const other = suppliers[random.below(suppliers.length - 1)]!;
  return other === current ? suppliers[suppliers.length - 1]! : other;
}

function blankPoint(): EstatePoint {
  return {
    mpxn: '',
    fuel: Fuel.ELECTRICITY,
    kind: MeterKind.DUMB,
    enrolled: false,
    cohort: Smets1Cohort.NONE,
    cspRegion: CspRegion.NONE,
    deviceHigh: 0,
    deviceLow: 0,
    deviceStatus: DeviceStatus.NOT_APPLICABLE,
    supplier: NO_PARTY,
    supplierFromMs: 0,
    previousSupplier: NO_PARTY,
    previousSupplierFromMs: 0,
    exportSupplier: NO_PARTY,
    exportSupplierFromMs: 0,
    mdr: NO_PARTY,
    mdrFromMs: 0,
    networkOperator: NO_PARTY,
    networkOperatorFromMs: 0,
  };
}
