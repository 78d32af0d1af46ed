import { describe, expect, it } from 'vitest';
import { feedRowChanges } from './feed-changes.js';
import { deviceLogRestoredChanges } from './device-log-restored.js';
import { parseFeedLine } from './feed.js';
import { RegistrationState } from './state.js';
import { mpan, mprn } from './test-helpers.js';

// An 8.12.x restore a new CHF or GPF executed, reported by the device edge: the old device's links move to it.

const ELECTRICITY = mpan('101234567801');
const GAS = mprn('12345601');
const ESME = '00-DB-12-00-00-00-01-01';
const GSME = '00-DB-12-00-00-00-01-03';
const OLD_CHF = '00-DB-12-00-00-00-01-04';
const OLD_GPF = '00-DB-12-00-00-00-01-05';
const PPMID = '00-DB-12-00-00-00-01-06';
const NEW_CHF = '00-DB-12-00-00-00-01-14';
const NEW_GPF = '00-DB-12-00-00-00-01-15';

const device = (id: string, status: string, type?: string) => ({ id, status, ...(type ? { type } : {}) });
const on = (id: string, type?: string) => device(id, 'Commissioned', type);

/** The replacement hub and GPF installed, the premises' devices still joined through the old (Withdrawn) ones. */
function estate(): RegistrationState {
  const state = new RegistrationState(32);
  const rows = [
    { mpxn: ELECTRICITY, fuel: 'electricity', commsHub: on(NEW_CHF) },
    { mpxn: GAS, fuel: 'gas', commsHub: on(NEW_CHF), gpf: on(NEW_GPF) },
    {
      mpxn: ELECTRICITY,
      fuel: 'electricity',
      commsHub: device(OLD_CHF, 'Withdrawn'),
      device: on(ESME),
      hanDevices: [on(PPMID, 'PPMID')],
    },
    {
      mpxn: GAS,
      fuel: 'gas',
      commsHub: device(OLD_CHF, 'Withdrawn'),
      gpf: device(OLD_GPF, 'Withdrawn'),
      device: on(GSME),
    },
  ];
  for (const row of rows) {
    const line = parseFeedLine(JSON.stringify({ meterKind: 'SMETS2', cspRegion: 'North', ...row }));
    for (const change of feedRowChanges(state, line)) state.apply({ recordedAtMs: 0, change });
  }
  return state;
}

function report(state: RegistrationState, srv: string, newDeviceId: string, oldDeviceId: string) {
  const decision = deviceLogRestoredChanges(state, {
    serviceReferenceVariant: srv,
    newDeviceId,
    oldDeviceId,
    requestId: '',
  });
  for (const change of decision.changes) state.apply({ recordedAtMs: 0, change });
  return decision.reply;
}

const hubOf = (state: RegistrationState, id: string) => state.view.deviceFacts(id)?.commsHubId;

describe('deviceLogRestoredChanges', () => {
  it('8.12.1: the devices naming the old CHF name the new one, which routes the electricity point', () => {
    const state = estate();
    expect([ESME, PPMID, GSME].map((id) => state.devices.get(id)?.commsHubId)).toEqual([
      OLD_CHF,
      OLD_CHF,
      OLD_CHF,
    ]);
    expect(hubOf(state, ESME)).toBe(OLD_CHF);
    expect(report(state, '8.12.1', NEW_CHF, OLD_CHF)).toEqual({ moved: 3, detail: '' });
    expect([ESME, PPMID, GSME].map((id) => state.devices.get(id)?.commsHubId)).toEqual([
      NEW_CHF,
      NEW_CHF,
      NEW_CHF,
    ]);
    expect(hubOf(state, ESME)).toBe(NEW_CHF);
    // Reported again (a redelivered command): nothing left to move.
    expect(report(state, '8.12.1', NEW_CHF, OLD_CHF)).toMatchObject({
      moved: 0,
      detail: expect.stringMatching(/no device names/),
    });
  });

  it('8.12.2: a GSME reached through the old GPF is reached through the new one', () => {
    const state = estate();
    expect(state.view.deviceFacts(GSME)?.gpfId).toBe(OLD_GPF);
    expect(report(state, '8.12.2', NEW_GPF, OLD_GPF)).toEqual({ moved: 1, detail: '' });
    expect(state.view.deviceFacts(GSME)?.gpfId).toBe(NEW_GPF);
    expect(hubOf(state, GSME)).toBe(NEW_CHF);
    expect(report(state, '8.12.2', NEW_GPF, OLD_GPF).moved).toBe(0);
  });

  it('changes nothing for a report it cannot apply, and says why', () => {
    const state = estate();
    for (const [srv, fresh, old] of [
      ['8.12.1', NEW_CHF, OLD_GPF],
      ['8.12.2', NEW_CHF, OLD_GPF],
      ['8.12.1', NEW_CHF, NEW_CHF],
      ['8.11', NEW_CHF, OLD_CHF],
    ] as const) {
      const reply = report(state, srv, fresh, old);
      expect(reply.moved, `${srv} ${fresh} ${old}`).toBe(0);
      expect(reply.detail).not.toBe('');
    }
    expect(state.devices.get(ESME)?.commsHubId).toBe(OLD_CHF);
  });
});
