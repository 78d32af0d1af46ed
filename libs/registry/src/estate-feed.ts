import { DccError, eui64FromBigInt, mpanCheckDigit, mprnCheckDigits } from '@dcc/domain';

/**
 * A small demonstration estate as registration-data feed lines (services/registration/FEED-FORMAT.md), for the
 * local default (`npm start`) and tests that need a registered estate: both fuels, SMETS1 (cohorts IOC, MOC,
 * FOC) and SMETS2 (regions North, Central, South), every device type with its links (ESME, GSME, CHF shared by
 * the premises' points, GPF, PPMID and IHD joined to both meters, HCALCS), a few statuses other than
 * Commissioned, and appointments split between the development Users and parties that are not hub Users.
 * Deterministic: the same options give the same lines.
 */
export interface EstateFeedOptions {
  /** Meter points (feed lines) to generate, at least 1. */
  points: number;
  /** Suppliers in turn, premises by premises; list a party several times to give it a bigger share. */
  suppliers: readonly string[];
  /** Electricity distributors (ED) in turn. */
  distributors: readonly string[];
  /** Gas transporters (GT) in turn. */
  transporters: readonly string[];
  /**
   * `uniform`: every premises is electricity-only SMETS2 with a Commissioned ESME numbered from
   * 00-DB-12-00-00-00-00-00 (the n-th point's meter is that id + n) and its CHF, import and export supplied by
   * the same supplier, so tests can address meters by number. `mixed` (default): the whole variety described above.
   */
  mix?: 'mixed' | 'uniform';
}

/** Where the generated device ids start, by device type (the 5th byte is the premises number's top byte). */
export const ESTATE_ID_BASES = {
  /** SMETS2 ESMEs of the first half of the premises: 00-DB-12-00-00-00-00-00 + premises number. */
  esme: 0x00db1200_00000000n,
  /** SMETS2 ESMEs of the second half: far outside the first range (00-DB-12-FF-…). */
  esmeHigh: 0x00db12ff_00000000n,
  gsme: 0x00db1201_00000000n,
  chf: 0x00db1202_00000000n,
  gpf: 0x00db1203_00000000n,
  ppmid: 0x00db1204_00000000n,
  ihd: 0x00db1205_00000000n,
  hcalcs: 0x00db1206_00000000n,
  /** SMETS1 meters (ESME and GSME). */
  smets1Esme: 0x00db1100_00000000n,
  smets1Gsme: 0x00db1101_00000000n,
} as const;

/** Parties of the demonstration estate that are not hub Users (their points answer the development Users E4). */
export const NON_USER_PARTIES = {
  suppliers: ['90-B3-D5-1F-30-04-00-00', '90-B3-D5-1F-30-05-00-00'],
  distributor: '90-B3-D5-1F-30-0B-00-00',
  transporter: '90-B3-D5-1F-30-0C-00-00',
} as const;

/**
 * The demonstration estate of `npm start`: the development supplier holds three premises in five (n % 5 = 0,
 * 2, 4), two parties that are not hub Users the rest; the development network operator half the areas.
 */
export function demonstrationEstate(
  points: number,
  users: { supplier: string; networkOperator: string },
): EstateFeedOptions {
  const [other1, other2] = NON_USER_PARTIES.suppliers;
  return {
    points,
    mix: 'mixed',
    suppliers: [users.supplier, other1, users.supplier, other2, users.supplier],
    distributors: [users.networkOperator, NON_USER_PARTIES.distributor],
    transporters: [users.networkOperator, NON_USER_PARTIES.transporter],
  };
}

const REGIONS = ['North', 'Central', 'South'] as const;

/** Premises per low-voltage feeder and feeders per secondary substation in the generated estates. */
export const ESTATE_GRID = { premisesPerFeeder: 10, feedersPerSubstation: 4 } as const;

/**
 * The electricity point of premises n on the network: ten premises per feeder, four feeders per substation;
 * substation `SS-<k>` (k = n / 40, four digits), feeder `SS-<k>-F<1..4>`.
 */
export function estateGridConnection(n: number): { substation: string; feeder: string } {
  const feederNumber = Math.floor(n / ESTATE_GRID.premisesPerFeeder);
  const substation = `SS-${String(Math.floor(feederNumber / ESTATE_GRID.feedersPerSubstation)).padStart(4, '0')}`;
  return { substation, feeder: `${substation}-F${(feederNumber % ESTATE_GRID.feedersPerSubstation) + 1}` };
}
const COHORTS = ['IOC', 'MOC', 'FOC'] as const;

/** The premises' facts, from its number alone. */
export function estatePremises(n: number, totalPremises: number) {
  const smets1 = n % 10 >= 7; // three premises in ten are SMETS1
  const dualFuel = n % 3 !== 2; // two in three have gas as well
  const id = (base: bigint) => eui64FromBigInt(base + BigInt(n));
  return {
    smets1,
    dualFuel,
    esme: smets1
      ? id(ESTATE_ID_BASES.smets1Esme)
      : id(n < totalPremises / 2 ? ESTATE_ID_BASES.esme : ESTATE_ID_BASES.esmeHigh),
    gsme: id(smets1 ? ESTATE_ID_BASES.smets1Gsme : ESTATE_ID_BASES.gsme),
    chf: id(ESTATE_ID_BASES.chf),
    gpf: id(ESTATE_ID_BASES.gpf),
    ppmid: n % 5 === 0 ? id(ESTATE_ID_BASES.ppmid) : undefined,
    ihd: id(ESTATE_ID_BASES.ihd),
    hcalcs: n % 7 === 3 ? id(ESTATE_ID_BASES.hcalcs) : undefined,
    status: n % 97 === 13 ? 'Decommissioned' : n % 89 === 11 ? 'InstalledNotCommissioned' : 'Commissioned',
  };
}

/**
 * A SMETS2 ESME's variant (DUIS ESMEVariant): one premises in ten has a poly-phase meter (C), one in thirteen a
 * twin-element one (B), one in six of the rest auxiliary load control switches (AD); the others are single
 * element (A).
 */
export function estateEsmeVariant(n: number): string {
  if (n % 10 === 4) return 'C';
  if (n % 13 === 5) return 'B';
  return n % 6 === 1 ? 'AD' : 'A';
}

/** The feed lines of the estate, one meter point each (the electricity line of a premises first). */
export function* estateFeedLines(options: EstateFeedOptions): Generator<string, void, undefined> {
  const { points, suppliers, distributors, transporters } = options;
  if (options.mix === 'uniform') {
    yield* uniformLines(options);
    return;
  }
  if (!Number.isInteger(points) || points < 1 || points > 40_000_000) {
    throw DccError.invalidArgument(
      `estate points ${points} must be an integer from 1 to 40,000,000 (a national estate)`,
    );
  }
  if (suppliers.length === 0 || distributors.length === 0 || transporters.length === 0) {
    throw DccError.invalidArgument('an estate needs at least one supplier, distributor and transporter');
  }
  // Premises needed for `points` lines: two in three premises have two points.
  let totalPremises = 0;
  for (let lines = 0; lines < points; totalPremises++) lines += totalPremises % 3 !== 2 ? 2 : 1;
  let emitted = 0;
  for (let n = 0; n < totalPremises && emitted < points; n++) {
    const p = estatePremises(n, totalPremises);
    const generation = p.smets1
      ? { meterKind: 'SMETS1', smets1Cohort: COHORTS[n % 3] }
      : { meterKind: 'SMETS2', cspRegion: REGIONS[n % 3] };
    const device = (id: string, extra: Record<string, string> = {}) => ({ id, status: p.status, ...extra });
    const supplier = suppliers[n % suppliers.length]!;
    const shared = [
      ...(p.ppmid ? [{ id: p.ppmid, type: 'PPMID', status: 'Commissioned' }] : []),
      { id: p.ihd, type: 'IHD', status: 'Commissioned' },
    ];
    const serial = String(n).padStart(10, '0');
    const mpan12 = `10${serial}`;
    yield JSON.stringify({
      mpxn: mpan12 + mpanCheckDigit(mpan12),
      fuel: 'electricity',
      ...generation,
      device: device(p.esme, {
        model: p.smets1 ? 'S1-E' : 'E470',
        firmwareVersion: '1.0',
        ...(p.smets1 ? {} : { esmeVariant: estateEsmeVariant(n) }),
      }),
      commsHub: { id: p.chf, status: 'Commissioned' },
      hanDevices: [
        ...shared,
        ...(p.hcalcs ? [{ id: p.hcalcs, type: 'HCALCS', status: 'Commissioned' }] : []),
      ],
      supplier: { party: supplier, from: '2024-01-01' },
      ...(n % 11 === 0 ? { exportSupplier: { party: supplier, from: '2024-06-01' } } : {}),
      networkOperator: { party: distributors[n % distributors.length]!, from: '2020-01-01' },
      gridConnection: estateGridConnection(n),
    });
    emitted++;
    if (!p.dualFuel || emitted >= points) continue;
    const mprnBase = String(10_000_000 + n);
    yield JSON.stringify({
      mpxn: mprnBase + mprnCheckDigits(mprnBase),
      fuel: 'gas',
      ...generation,
      device: device(p.gsme, { model: p.smets1 ? 'S1-G' : 'G4SZ', firmwareVersion: '1.0' }),
      commsHub: { id: p.chf, status: 'Commissioned' },
      gpf: { id: p.gpf, status: 'Commissioned' },
      hanDevices: shared,
      // One gas point in four has another supplier than the premises' electricity.
      supplier: {
        party: n % 4 === 1 ? suppliers[(n + 1) % suppliers.length]! : supplier,
        from: '2024-01-01',
      },
      networkOperator: { party: transporters[n % transporters.length]!, from: '2020-01-01' },
    });
    emitted++;
  }
}

function* uniformLines(options: EstateFeedOptions): Generator<string, void, undefined> {
  for (let n = 0; n < options.points; n++) {
    const mpan12 = `10${String(n).padStart(10, '0')}`;
    yield JSON.stringify({
      mpxn: mpan12 + mpanCheckDigit(mpan12),
      fuel: 'electricity',
      meterKind: 'SMETS2',
      cspRegion: REGIONS[n % 3],
      device: { id: eui64FromBigInt(ESTATE_ID_BASES.esme + BigInt(n)), status: 'Commissioned' },
      commsHub: { id: eui64FromBigInt(ESTATE_ID_BASES.chf + BigInt(n)), status: 'Commissioned' },
      supplier: { party: options.suppliers[n % options.suppliers.length]!, from: '2024-01-01' },
      exportSupplier: { party: options.suppliers[n % options.suppliers.length]!, from: '2024-01-01' },
      networkOperator: { party: options.distributors[n % options.distributors.length]!, from: '2020-01-01' },
      gridConnection: estateGridConnection(n),
    });
  }
}
