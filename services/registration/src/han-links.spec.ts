import { describe, expect, it } from 'vitest';
import { feedRowChanges } from './feed-changes.js';
import { parseFeedLine } from './feed.js';
import { hanLinkChanges } from './han-links.js';
import { RegistrationState } from './state.js';
import { mpan, mprn } from './test-helpers.js';

// A HAN join or unjoin a device executed (8.7.x, 8.8.x), reported by the device edge: the inventory links the
// HAN device to the meter's point, or unlinks it; pairs it does not link change nothing and say why.

const ELECTRICITY = mpan('101234567801');
const ELECTRICITY_2 = mpan('101234567802');
const GAS = mprn('12345601');
const ESME = '00-DB-12-00-00-00-01-01';
const ESME_2 = '00-DB-12-00-00-00-01-02';
const GSME = '00-DB-12-00-00-00-01-03';
const CHF = '00-DB-12-00-00-00-01-04';
const GPF = '00-DB-12-00-00-00-01-05';
const PPMID = '00-DB-12-00-00-00-01-06';
const HCALCS = '00-DB-12-00-00-00-01-07';
const UNKNOWN = '00-DB-12-00-00-00-01-99';

const commissioned = (id: string, type?: string) => ({
  id,
  ...(type ? { type } : {}),
  status: 'Commissioned',
});

function estate(): RegistrationState {
  const state = new RegistrationState(16);
  const rows = [
    {
      mpxn: ELECTRICITY,
      fuel: 'electricity',
      device: commissioned(ESME),
      commsHub: commissioned(CHF),
      hanDevices: [commissioned(PPMID, 'PPMID'), commissioned(HCALCS, 'HCALCS')],
    },
    {
      mpxn: GAS,
      fuel: 'gas',
      device: commissioned(GSME),
      commsHub: commissioned(CHF),
      gpf: commissioned(GPF),
    },
    { mpxn: ELECTRICITY_2, fuel: 'electricity', device: commissioned(ESME_2) },
  ];
  for (const row of rows) {
    const line = parseFeedLine(JSON.stringify({ meterKind: 'SMETS2', cspRegion: 'North', ...row }));
    for (const change of feedRowChanges(state, line)) state.apply({ recordedAtMs: 0, change });
  }
  return state;
}

/** Decides and applies a report, as the recorder would. */
function report(state: RegistrationState, deviceId: string, otherDeviceId: string, joined: boolean) {
  const decision = hanLinkChanges(state, { deviceId, otherDeviceId, joined, requestId: '' });
  for (const change of decision.changes) state.apply({ recordedAtMs: 0, change });
  return decision.reply;
}

const pointsOf = (state: RegistrationState, id: string) => {
  const d = state.devices.get(id)!;
  return [d.mpxn, ...d.additionalMpxns];
};

describe('HAN joins and unjoins keep the inventory’s links', () => {
  it('a join sent to either end links the PPMID to the meter’s point; an unjoin unlinks it', () => {
    const state = estate();
    expect(pointsOf(state, PPMID)).toEqual([ELECTRICITY]);
    expect(report(state, GSME, PPMID, true)).toEqual({ changed: true, detail: '' });
    expect(pointsOf(state, PPMID)).toEqual([ELECTRICITY, GAS]);
    expect(state.devicesAt(GAS).map((d) => d.deviceId)).toContain(PPMID);
    // The same join again, from the PPMID's side: already linked.
    expect(report(state, PPMID, GSME, true)).toMatchObject({ changed: false, detail: /already linked/ });
    expect(report(state, PPMID, ESME, false)).toEqual({ changed: true, detail: '' });
    expect(pointsOf(state, PPMID)).toEqual([GAS]);
    expect(report(state, ESME, PPMID, false)).toMatchObject({ changed: false, detail: /not linked/ });
  });

  it('a join to another meter of the same fuel moves the PPMID; an HCALCS moves too, and never to gas', () => {
    const state = estate();
    report(state, ESME_2, PPMID, true);
    expect(pointsOf(state, PPMID)).toEqual([ELECTRICITY_2]);
    report(state, HCALCS, ESME_2, true);
    expect(pointsOf(state, HCALCS)).toEqual([ELECTRICITY_2]);
    expect(report(state, GSME, HCALCS, true)).toMatchObject({
      changed: false,
      detail: /electricity point only/,
    });
    expect(pointsOf(state, HCALCS)).toEqual([ELECTRICITY_2]);
  });

  it('changes nothing for a device the inventory does not hold, or a pair it does not link', () => {
    const state = estate();
    expect(report(state, ESME, UNKNOWN, true)).toMatchObject({ changed: false, detail: /not in the Smart/ });
    expect(report(state, GSME, GPF, true)).toMatchObject({
      changed: false,
      detail: /links no GSME to a GPF/,
    });
    expect(report(state, ESME, ESME_2, true)).toMatchObject({ changed: false, detail: /links no ESME/ });
    expect(report(state, 'nonsense', ESME, true)).toMatchObject({ changed: false, detail: /EUI-64/ });
  });
});
