import { describe, expect, it } from 'vitest';
import { feedRowChanges } from './feed-changes.js';
import { savedDeviceLog } from './device-log.js';
import { parseFeedLine } from './feed.js';
import { RegistrationState } from './state.js';
import { mpan, mprn } from './test-helpers.js';

// 8.12.x: the saved device log of a replaced CHF or GPF is what the inventory joins to the points it served.

const ELECTRICITY = mpan('101234567801');
const ELECTRICITY_2 = mpan('101234567802');
const GAS = mprn('12345601');
const ESME = '00-DB-12-00-00-00-01-01';
const GSME = '00-DB-12-00-00-00-01-03';
const OLD_CHF = '00-DB-12-00-00-00-01-04';
const OLD_GPF = '00-DB-12-00-00-00-01-05';
const PPMID = '00-DB-12-00-00-00-01-06';
const NEW_CHF = '00-DB-12-00-00-00-01-14';
const NEW_GPF = '00-DB-12-00-00-00-01-15';
const OTHER_CHF = '00-DB-12-00-00-00-01-24';
const UNKNOWN = '00-DB-12-00-00-00-01-99';

const device = (id: string, status: string, type?: string) => ({ id, status, ...(type ? { type } : {}) });
const on = (id: string, type?: string) => device(id, 'Commissioned', type);

/** A dual-fuel premises whose hub (and GPF) was replaced, and an empty premises with a hub of its own. */
function estate(): RegistrationState {
  const state = new RegistrationState(32);
  const rows = [
    // The replaced hub, first: it stays joined to the premises' points, Withdrawn.
    { mpxn: ELECTRICITY, fuel: 'electricity', commsHub: device(OLD_CHF, 'Withdrawn') },
    { mpxn: GAS, fuel: 'gas', commsHub: device(OLD_CHF, 'Withdrawn'), gpf: device(OLD_GPF, 'Withdrawn') },
    {
      mpxn: ELECTRICITY,
      fuel: 'electricity',
      device: on(ESME),
      commsHub: on(NEW_CHF),
      hanDevices: [on(PPMID, 'PPMID')],
    },
    {
      mpxn: GAS,
      fuel: 'gas',
      device: on(GSME),
      commsHub: on(NEW_CHF),
      gpf: on(NEW_GPF),
      hanDevices: [on(PPMID, 'PPMID')],
    },
    { mpxn: ELECTRICITY_2, fuel: 'electricity', commsHub: on(OTHER_CHF) },
  ];
  for (const row of rows) {
    const line = parseFeedLine(JSON.stringify({ meterKind: 'SMETS2', cspRegion: 'North', ...row }));
    for (const change of feedRowChanges(state, line)) state.apply({ recordedAtMs: 0, change });
  }
  return state;
}

const ask = (srv: string, newDeviceId: string, oldDeviceId: string) =>
  savedDeviceLog(estate(), { serviceReferenceVariant: srv, newDeviceId, oldDeviceId });

describe('savedDeviceLog (8.12.x)', () => {
  it("8.12.1: the old CHF's log is the devices joined to its premises' points, hub functions left out", () => {
    const reply = ask('8.12.1', NEW_CHF, OLD_CHF);
    expect(reply.refusal).toBe('');
    expect(reply.entries).toEqual([
      { deviceId: ESME, deviceType: 'ESME' },
      { deviceId: PPMID, deviceType: 'PPMID' },
      { deviceId: GSME, deviceType: 'GSME' },
    ]);
  });

  it("8.12.2: the old GPF's log is the devices at its gas point", () => {
    const reply = ask('8.12.2', NEW_GPF, OLD_GPF);
    expect(reply.refusal).toBe('');
    expect(reply.entries).toEqual([
      { deviceId: GSME, deviceType: 'GSME' },
      { deviceId: PPMID, deviceType: 'PPMID' },
    ]);
  });

  it('refuses an old device the inventory does not hold: E19', () => {
    expect(ask('8.12.1', NEW_CHF, UNKNOWN)).toMatchObject({ refusal: 'E19', entries: [] });
  });

  it('refuses an old device of the wrong type: E11 (a GPF for 8.12.1, a CHF for 8.12.2)', () => {
    expect(ask('8.12.1', NEW_CHF, OLD_GPF).refusal).toBe('E11');
    expect(ask('8.12.2', NEW_GPF, OLD_CHF).refusal).toBe('E11');
  });

  it("refuses old and new the same device, a target not of the old one's type, and another SRV: INVALID_ARGUMENT", () => {
    expect(ask('8.12.1', NEW_CHF, NEW_CHF).refusal).toBe('INVALID_ARGUMENT');
    expect(ask('8.12.1', ESME, OLD_CHF).refusal).toBe('INVALID_ARGUMENT');
    expect(ask('8.11', NEW_CHF, OLD_CHF).refusal).toBe('INVALID_ARGUMENT');
    expect(ask('8.12.1', NEW_CHF, 'not-an-id').refusal).toBe('INVALID_ARGUMENT');
  });

  it("refuses another premises' hub: FAILED_PRECONDITION, its log is not this premises'", () => {
    const reply = ask('8.12.1', OTHER_CHF, OLD_CHF);
    expect(reply.refusal).toBe('FAILED_PRECONDITION');
    expect(reply.detail).toMatch(/served none/);
  });

  it('refuses a hub with nothing saved: FAILED_PRECONDITION', () => {
    // OTHER_CHF's premises has no meter or HAN device joined: nothing to restore from it.
    const state = estate();
    const line = parseFeedLine(
      JSON.stringify({
        meterKind: 'SMETS2',
        cspRegion: 'North',
        mpxn: ELECTRICITY_2,
        fuel: 'electricity',
        commsHub: on(NEW_CHF.replace('14', '34')),
      }),
    );
    for (const change of feedRowChanges(state, line)) state.apply({ recordedAtMs: 0, change });
    const reply = savedDeviceLog(state, {
      serviceReferenceVariant: '8.12.1',
      newDeviceId: '00-DB-12-00-00-00-01-34',
      oldDeviceId: OTHER_CHF,
    });
    expect(reply.refusal).toBe('FAILED_PRECONDITION');
    expect(reply.detail).toMatch(/no device log/);
  });
});
