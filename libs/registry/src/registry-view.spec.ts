import { DccError, GrpcStatus, parseEui64, type Eui64 } from '@dcc/domain';
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
import { eui64Words } from './eui64-words.js';
import type { MeterPointInput } from './meter-point.js';
import { RegistryView } from './registry-view.js';

const ESME = parseEui64('BC-33-AC-00-00-00-00-01');
const GSME = parseEui64('BC-33-AC-FF-00-00-00-02');
const SUPPLIER = parseEui64('90-B3-D5-1F-30-01-00-00');
const OTHER_SUPPLIER = parseEui64('90-B3-D5-1F-30-04-00-00');
const DNO = parseEui64('90-B3-D5-1F-30-02-00-00');
const T0 = Date.UTC(2025, 0, 1);

function input(mpxn: string, fuel: Fuel, device: Eui64 | undefined): MeterPointInput {
  const { high, low } = device ? eui64Words(device) : { high: 0, low: 0 };
  return {
    mpxn,
    fuel,
    kind: device ? MeterKind.SMETS2 : MeterKind.DUMB,
    enrolled: device !== undefined,
    cohort: Smets1Cohort.NONE,
    cspRegion: device ? CspRegion.CENTRAL : CspRegion.NONE,
    deviceHigh: high,
    deviceLow: low,
    deviceStatus: device ? DeviceStatus.COMMISSIONED : DeviceStatus.NOT_APPLICABLE,
  };
}

function smallView() {
  const view = new RegistryView({ capacity: 4 });
  const elec = view.addPoint(input('1800021679848', Fuel.ELECTRICITY, ESME));
  const gas = view.addPoint(input('3938424403', Fuel.GAS, GSME));
  const dumb = view.addPoint(input('1012345678906', Fuel.ELECTRICITY, undefined));
  const supplier = view.parties.intern(SUPPLIER);
  const other = view.parties.intern(OTHER_SUPPLIER);
  const dno = view.parties.intern(DNO);
  view.appoint(elec, AppointmentRole.SUPPLIER, supplier, T0);
  view.appoint(elec, AppointmentRole.NETWORK_OPERATOR, dno, 0);
  view.appoint(gas, AppointmentRole.SUPPLIER, supplier, T0);
  return { view, elec, gas, dumb, supplier, other, dno };
}

function codeOf(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DccError);
    return (error as DccError).status;
  }
  return undefined;
}

describe('RegistryView lookups', () => {
  it('finds points by device id and by MPxN, exactly', () => {
    const { view, elec, gas, dumb } = smallView();
    expect(view.pointOfDevice(ESME)).toBe(elec);
    expect(view.pointOfDevice(GSME)).toBe(gas);
    expect(view.pointOfDevice('bc-33-ac-00-00-00-00-01')).toBe(elec);
    expect(view.pointOfMpxn('1800021679848')).toBe(elec);
    expect(view.pointOfMpxn('3938424403')).toBe(gas);
    expect(view.pointOfMpxn('1012345678906')).toBe(dumb);
    const { high, low } = eui64Words(GSME);
    expect(view.pointOfDeviceWords(high, low)).toBe(gas);
  });

  it('misses neighbours, malformed text and the dumb meter’s absent device', () => {
    const { view } = smallView();
    expect(view.pointOfDevice('BC-33-AC-00-00-00-00-02')).toBe(-1);
    expect(view.pointOfDevice('BC-33-AC-00-00-00-00-0')).toBe(-1);
    expect(view.pointOfDevice('BC:33:AC:00:00:00:00:01')).toBe(-1);
    expect(view.pointOfDevice('00-00-00-00-00-00-00-00')).toBe(-1);
    expect(view.pointOfMpxn('1800021679849')).toBe(-1);
    expect(view.pointOfMpxn('03938424403')).toBe(-1); // a leading zero is a different MPRN
    expect(view.pointOfMpxn('39384244O3')).toBe(-1);
    expect(view.pointOfMpxn('')).toBe(-1);
  });

  it('describes a point and reports device status, undefined for an unknown device', () => {
    const { view, elec, dumb } = smallView();
    expect(view.describe(elec)).toEqual({
      mpxn: '1800021679848',
      fuel: Fuel.ELECTRICITY,
      kind: MeterKind.SMETS2,
      enrolled: true,
      cohort: Smets1Cohort.NONE,
      cspRegion: CspRegion.CENTRAL,
      deviceId: ESME,
      deviceStatus: DeviceStatus.COMMISSIONED,
    });
    expect(view.describe(dumb).deviceId).toBeUndefined();
    expect(view.deviceStatus(ESME)).toBe(DeviceStatus.COMMISSIONED);
    expect(view.deviceStatus('BC-33-AC-00-00-00-00-09')).toBeUndefined();
  });

  it('refuses duplicates without leaving a trace', () => {
    const { view } = smallView();
    expect(codeOf(() => view.addPoint(input('1800021679848', Fuel.ELECTRICITY, undefined)))).toBe(
      GrpcStatus.ALREADY_EXISTS,
    );
    expect(codeOf(() => view.addPoint(input('1200000000019', Fuel.ELECTRICITY, ESME)))).toBe(
      GrpcStatus.ALREADY_EXISTS,
    );
    expect(view.size).toBe(3);
    expect(view.pointOfMpxn('1200000000019')).toBe(-1);
  });

  it('refuses malformed points', () => {
    const view = new RegistryView({ capacity: 2 });
    expect(codeOf(() => view.addPoint(input('180002167984', Fuel.ELECTRICITY, undefined)))).toBe(
      GrpcStatus.INVALID_ARGUMENT,
    );
    const smets1WithoutCohort = { ...input('3938424403', Fuel.GAS, GSME), kind: MeterKind.SMETS1 };
    expect(codeOf(() => view.addPoint(smets1WithoutCohort))).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(view.size).toBe(0);
  });

  it('throws RESOURCE_EXHAUSTED once capacity points are held', () => {
    const { view } = smallView();
    view.addPoint(input('2000000000014', Fuel.ELECTRICITY, undefined));
    expect(view.size).toBe(4);
    const error = (() => {
      try {
        view.addPoint(input('2100000000017', Fuel.ELECTRICITY, undefined));
      } catch (e) {
        return e as DccError;
      }
    })();
    expect(error?.status).toBe(GrpcStatus.RESOURCE_EXHAUSTED);
    expect(error?.message).toMatch(/full \(capacity 4 points\)/);
    expect(view.size).toBe(4);
  });

  it('moves a device on a meter exchange', () => {
    const { view, elec } = smallView();
    const replacement = parseEui64('BC-33-AC-00-00-00-00-07');
    view.replaceDevice(elec, replacement, DeviceStatus.INSTALLED_NOT_COMMISSIONED);
    expect(view.pointOfDevice(ESME)).toBe(-1);
    expect(view.pointOfDevice(replacement)).toBe(elec);
    expect(view.deviceStatus(replacement)).toBe(DeviceStatus.INSTALLED_NOT_COMMISSIONED);
    expect(codeOf(() => view.replaceDevice(elec, GSME, DeviceStatus.COMMISSIONED))).toBe(
      GrpcStatus.ALREADY_EXISTS,
    );
    view.replaceDevice(elec, undefined, DeviceStatus.NOT_APPLICABLE);
    expect(view.pointOfDevice(replacement)).toBe(-1);
  });
});

describe('RegistryView.registrationFailure', () => {
  it('answers E19, E4 or nothing as registration decides', () => {
    const { view, supplier, other, dno } = smallView();
    expect(view.registrationFailure(supplier, 'IS', ESME, T0)).toBeUndefined();
    expect(view.registrationFailure(supplier, 'GS', GSME, T0)).toBeUndefined();
    expect(view.registrationFailure(dno, 'ED', ESME, T0 - 1)).toBeUndefined();
    expect(view.registrationFailure(supplier, 'IS', 'BC-33-AC-00-00-00-00-09', T0)).toBe('E19');
    expect(view.registrationFailure(supplier, 'IS', ESME, T0 - 1)).toBe('E4'); // before the appointment
    expect(view.registrationFailure(other, 'IS', ESME, T0)).toBe('E4');
    expect(view.registrationFailure(supplier, 'IS', GSME, T0)).toBe('E4'); // electricity role, gas meter
    expect(view.registrationFailure(supplier, 'ES', ESME, T0)).toBe('E4'); // nobody exports here
    expect(view.registrationFailure(dno, 'GT', GSME, T0)).toBe('E4');
    expect(view.registrationFailure(supplier, 'OU', ESME, T0)).toBe('E4'); // not decided here: fail closed
    expect(view.registrationFailure(NO_PARTY, 'ES', ESME, T0)).toBe('E4');
  });
});

describe('RegistryView.holdingStartMs', () => {
  it('is the start of the holding in effect at the instant, -1 where registration refuses', () => {
    const { view, elec, supplier, other, dno } = smallView();
    const day = 86_400_000;
    expect(view.holdingStartMs(supplier, 'IS', ESME, T0 + day)).toBe(T0);
    expect(view.holdingStartMs(dno, 'ED', ESME, T0)).toBe(0); // held since the beginning of the record
    expect(view.holdingStartMs(supplier, 'IS', ESME, T0 - 1)).toBe(-1);
    expect(view.holdingStartMs(other, 'IS', ESME, T0)).toBe(-1);
    expect(view.holdingStartMs(supplier, 'OU', ESME, T0)).toBe(-1);
    expect(view.holdingStartMs(supplier, 'IS', 'BC-33-AC-00-00-00-00-09', T0)).toBe(-1);

    // change of supplier, a gap, and the first supplier back: each holding starts afresh
    view.appoint(elec, AppointmentRole.SUPPLIER, other, T0 + 10 * day);
    view.appoint(elec, AppointmentRole.SUPPLIER, NO_PARTY, T0 + 20 * day);
    view.appoint(elec, AppointmentRole.SUPPLIER, supplier, T0 + 30 * day);
    expect(view.holdingStartMs(supplier, 'IS', ESME, T0 + 5 * day)).toBe(T0);
    expect(view.holdingStartMs(other, 'IS', ESME, T0 + 15 * day)).toBe(T0 + 10 * day);
    expect(view.holdingStartMs(other, 'IS', ESME, T0 + 25 * day)).toBe(-1);
    expect(view.holdingStartMs(supplier, 'IS', ESME, T0 + 31 * day)).toBe(T0 + 30 * day);
  });
});
