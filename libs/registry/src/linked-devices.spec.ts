import { DccError, GrpcStatus, parseEui64, type Eui64 } from '@dcc/domain';
import { describe, expect, it } from 'vitest';
import {
  AppointmentRole,
  CspRegion,
  DeviceStatus,
  DeviceType,
  Fuel,
  MeterKind,
  Smets1Cohort,
} from './codes.js';
import { eui64Words } from './eui64-words.js';
import { RegistryView } from './registry-view.js';

const ESME = parseEui64('BC-33-AC-00-00-00-00-01');
const GSME = parseEui64('BC-33-AC-FF-00-00-00-02');
const CHF = parseEui64('00-1C-00-00-00-00-00-10');
const GPF = parseEui64('00-1C-00-00-00-00-00-11');
const PPMID = parseEui64('00-1D-00-00-00-00-00-12');
const SUPPLIER = parseEui64('90-B3-D5-1F-30-01-00-00');
const GAS_SUPPLIER = parseEui64('90-B3-D5-1F-30-04-00-00');
const T0 = Date.UTC(2025, 0, 1);

/** A dual-fuel SMETS2 premises: ESME and GSME points, their CHF, the GPF and a PPMID joined to both meters. */
function premises() {
  const view = new RegistryView({ capacity: 4, linkedDeviceCapacity: 1 });
  const point = (mpxn: string, fuel: Fuel, id: Eui64) =>
    view.addPoint({
      mpxn,
      fuel,
      kind: MeterKind.SMETS2,
      enrolled: true,
      cohort: Smets1Cohort.NONE,
      cspRegion: CspRegion.NORTH,
      deviceHigh: eui64Words(id).high,
      deviceLow: eui64Words(id).low,
      deviceStatus: DeviceStatus.COMMISSIONED,
    });
  const elec = point('1800021679848', Fuel.ELECTRICITY, ESME);
  const gas = point('3938424403', Fuel.GAS, GSME);
  view.appoint(elec, AppointmentRole.SUPPLIER, view.parties.intern(SUPPLIER), T0);
  view.appoint(gas, AppointmentRole.SUPPLIER, view.parties.intern(GAS_SUPPLIER), T0);
  const common = { generation: MeterKind.SMETS2, status: DeviceStatus.COMMISSIONED };
  view.putLinkedDevice(CHF, { ...common, type: DeviceType.CHF, points: [elec, gas], commsHubId: undefined });
  view.putLinkedDevice(GPF, { ...common, type: DeviceType.GPF, points: [gas], commsHubId: CHF });
  view.putLinkedDevice(PPMID, { ...common, type: DeviceType.PPMID, points: [elec, gas], commsHubId: CHF });
  return { view, elec, gas };
}

describe('linked devices (every inventory device type with its links)', () => {
  it('answers type, generation, region, status and links for meters and HAN devices', () => {
    const { view, elec, gas } = premises();
    expect(view.deviceFacts(ESME)).toMatchObject({
      type: DeviceType.ESME,
      generation: MeterKind.SMETS2,
      cspRegion: CspRegion.NORTH,
      points: [elec],
      commsHubId: CHF,
      gpfId: undefined,
    });
    // The GSME is reached through its GPF, which is paired with the premises' CHF.
    expect(view.deviceFacts(GSME)).toMatchObject({ type: DeviceType.GSME, gpfId: GPF, commsHubId: CHF });
    expect(view.deviceFacts(CHF)).toMatchObject({ type: DeviceType.CHF, points: [elec, gas] });
    expect(view.deviceFacts(PPMID)).toMatchObject({
      type: DeviceType.PPMID,
      cspRegion: CspRegion.NORTH,
      commsHubId: CHF,
      status: DeviceStatus.COMMISSIONED,
    });
    expect(view.deviceFacts('00-DB-12-FF-00-00-00-01')).toBeUndefined();
    expect(view.linkedDeviceCount).toBe(3);
  });

  it('authorises a device joined to two meters for either meter point’s supplier', () => {
    const { view } = premises();
    const gasParty = view.parties.indexOf(GAS_SUPPLIER);
    const elecParty = view.parties.indexOf(SUPPLIER);
    expect(view.registrationFailure(gasParty, 'GS', PPMID, T0 + 1)).toBeUndefined();
    expect(view.registrationFailure(elecParty, 'IS', PPMID, T0 + 1)).toBeUndefined();
    expect(view.registrationFailure(elecParty, 'IS', GPF, T0 + 1)).toBe('E4'); // the GPF serves gas only
    expect(view.registrationFailure(gasParty, 'GS', GPF, T0 + 1)).toBeUndefined();
    expect(view.registrationFailure(gasParty, 'GS', '00-DB-12-FF-00-00-00-01', T0)).toBe('E19');
    expect(view.holdingStartMs(gasParty, 'GS', PPMID, T0 + 1)).toBe(T0);
  });

  it('refuses a comms hub that is not a CHF, and an id already used by another device', () => {
    const { view, elec } = premises();
    const put = (id: string, commsHubId: string | undefined) => () =>
      view.putLinkedDevice(parseEui64(id), {
        type: DeviceType.IHD,
        generation: MeterKind.SMETS2,
        status: DeviceStatus.COMMISSIONED,
        points: [elec],
        commsHubId: commsHubId === undefined ? undefined : parseEui64(commsHubId),
      });
    expect(put('00-1E-00-00-00-00-00-01', GPF)).toThrow(/is not a CHF/);
    expect(put(ESME, CHF)).toThrow(
      expect.objectContaining({ status: GrpcStatus.ALREADY_EXISTS }) as DccError,
    );
    expect(() => view.replaceDevice(elec, CHF, DeviceStatus.COMMISSIONED)).toThrow(
      /already in the inventory/,
    );
  });

  it('grows past its initial capacity and forgets removed devices (routes too)', () => {
    const { view, gas } = premises();
    for (let n = 0; n < 40; n++) {
      view.putLinkedDevice(
        parseEui64(`00-1F-00-00-00-00-00-${n.toString(16).padStart(2, '0').toUpperCase()}`),
        {
          type: DeviceType.IHD,
          generation: MeterKind.SMETS2,
          status: DeviceStatus.COMMISSIONED,
          points: [gas],
          commsHubId: CHF,
        },
      );
    }
    expect(view.linkedDeviceCount).toBe(43);
    expect(view.deviceFacts('00-1F-00-00-00-00-00-27')).toMatchObject({ type: DeviceType.IHD });
    expect(view.deviceFacts(PPMID)).toMatchObject({ type: DeviceType.PPMID, commsHubId: CHF });
    view.removeLinkedDevice(GPF);
    expect(view.deviceFacts(GPF)).toBeUndefined();
    expect(view.deviceFacts(GSME)).toMatchObject({ gpfId: undefined, commsHubId: undefined });
    expect(() => view.removeLinkedDevice(CHF)).toThrow(/cannot leave/);
  });
});
