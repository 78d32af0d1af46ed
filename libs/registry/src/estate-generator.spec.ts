import { isValidMpanCore, isValidMprn } from '@dcc/domain';
import { describe, expect, it } from 'vitest';
import { AppointmentRole, DeviceStatus, Fuel, MeterKind, NO_PARTY, Smets1Cohort } from './codes.js';
import { generateEstate, type EstatePoint } from './estate-generator.js';
import { loadEstate } from './load-estate.js';

const SIZE = 100_000;

/** The estate as plain copies (the generator reuses one object). */
function collect(size: number, seed: number): EstatePoint[] {
  return Array.from(generateEstate(size, seed).points(), (p) => ({ ...p }));
}

const points = collect(SIZE, 42);

function share(predicate: (p: EstatePoint) => boolean, among: EstatePoint[] = points): number {
  return among.filter(predicate).length / among.length;
}

describe('generateEstate', () => {
  it('makes exactly `size` points, also when a dual-fuel site would overrun it', () => {
    expect(points).toHaveLength(SIZE);
    for (const size of [0, 1, 2, 3, 17]) expect(collect(size, 1)).toHaveLength(size);
  });

  it('gives MPANs and MPRNs valid check digits, MPANs a distributor id 10-23', () => {
    const electricity = points.filter((p) => p.fuel === Fuel.ELECTRICITY).map((p) => p.mpxn);
    const gas = points.filter((p) => p.fuel === Fuel.GAS).map((p) => p.mpxn);
    expect(electricity.filter((mpan) => !isValidMpanCore(mpan))).toEqual([]);
    expect(
      electricity.filter((mpan) => !(Number(mpan.slice(0, 2)) >= 10 && Number(mpan.slice(0, 2)) <= 23)),
    ).toEqual([]);
    expect(gas.filter((mprn) => !isValidMprn(mprn) || mprn.length !== 10)).toEqual([]);
  });

  it('never repeats a device id or an MPxN', () => {
    const devices = points
      .filter((p) => p.kind !== MeterKind.DUMB)
      .map((p) => `${p.deviceHigh}:${p.deviceLow}`);
    expect(new Set(devices).size).toBe(devices.length);
    expect(new Set(points.map((p) => p.mpxn)).size).toBe(SIZE);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    expect(collect(5_000, 42)).toEqual(points.slice(0, 5_000));
    const other = collect(5_000, 43);
    expect(other.map((p) => p.mpxn)).not.toEqual(points.slice(0, 5_000).map((p) => p.mpxn));
  });

  it('has the documented mix, within tolerance', () => {
    expect(share((p) => p.fuel === Fuel.ELECTRICITY)).toBeCloseTo(0.625, 1);
    expect(share((p) => p.kind === MeterKind.SMETS2)).toBeCloseTo(0.65, 1);
    expect(share((p) => p.kind === MeterKind.SMETS1)).toBeCloseTo(0.3, 1);
    expect(share((p) => p.kind === MeterKind.DUMB)).toBeCloseTo(0.05, 1);
    const smets1 = points.filter((p) => p.kind === MeterKind.SMETS1);
    expect(share((p) => p.cohort === Smets1Cohort.FOC, smets1)).toBeCloseTo(0.55, 1);
    expect(share((p) => p.cohort === Smets1Cohort.IOC, smets1)).toBeCloseTo(0.1, 1);
    const smart = points.filter((p) => p.kind !== MeterKind.DUMB);
    expect(share((p) => p.deviceStatus === DeviceStatus.COMMISSIONED, smart)).toBeGreaterThan(0.8);
    expect(share((p) => p.previousSupplier !== NO_PARTY)).toBeCloseTo(0.1, 1);
    const electricity = points.filter((p) => p.fuel === Fuel.ELECTRICITY);
    expect(new Set(electricity.map((p) => p.networkOperator)).size).toBe(14);
    const gas = points.filter((p) => p.fuel === Fuel.GAS);
    expect(new Set(gas.map((p) => p.networkOperator)).size).toBe(8);
  });

  it('skews supplier market shares', () => {
    const counts = new Map<number, number>();
    for (const p of points) counts.set(p.supplier, (counts.get(p.supplier) ?? 0) + 1);
    const shares = [...counts.values()].sort((a, b) => b - a).map((n) => n / SIZE);
    expect(counts.size).toBe(20);
    expect(shares[0]).toBeGreaterThan(0.18);
    expect(shares[19]).toBeLessThan(0.01);
  });

  it('loads into a view that answers like the generated data', () => {
    const estate = generateEstate(20_000, 9);
    const view = loadEstate(estate);
    expect(view.size).toBe(20_000);
    let switched = 0;
    for (const p of estate.points()) {
      const point = view.pointOfMpxn(p.mpxn);
      expect(view.describe(point).deviceStatus).toBe(p.deviceStatus);
      if (p.kind !== MeterKind.DUMB) expect(view.pointOfDeviceWords(p.deviceHigh, p.deviceLow)).toBe(point);
      expect(view.holder(point, AppointmentRole.SUPPLIER)).toBe(p.supplier);
      if (p.previousSupplier !== NO_PARTY) {
        switched++;
        expect(view.holderAt(point, AppointmentRole.SUPPLIER, p.supplierFromMs - 1)).toBe(p.previousSupplier);
      }
    }
    expect(view.historyLength).toBe(switched);
  });
});
