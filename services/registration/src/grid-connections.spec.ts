import { DccError, GrpcStatus } from '@dcc/domain';
import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import { feedRowChanges } from './feed-changes.js';
import { deviceParties } from './device-parties.js';
import { parseFeedLine } from './feed.js';
import { gridMeters } from './grid-meters.js';
import { RegistrationState } from './state.js';
import { mpan, mprn } from './test-helpers.js';

const DNO = '90-B3-D5-1F-30-02-00-00';
const clock = new ManualClock(Date.UTC(2025, 0, 1));

const line = (n: number, grid?: { substation: string; feeder: string }, overrides: object = {}) =>
  JSON.stringify({
    mpxn: mpan(`1012345678${String(n).padStart(2, '0')}`),
    fuel: 'electricity',
    meterKind: 'SMETS2',
    cspRegion: 'North',
    device: { id: `00-DB-12-00-00-00-00-${String(n).padStart(2, '0')}`, status: 'Commissioned' },
    networkOperator: { party: DNO, from: '2020-01-01' },
    ...(grid ? { gridConnection: grid } : {}),
    ...overrides,
  });

function load(state: RegistrationState, text: string): number {
  const changes = feedRowChanges(state, parseFeedLine(text));
  for (const change of changes) state.apply({ recordedAtMs: clock.now(), change });
  return changes.filter((c) => c.$case === 'gridConnectionChanged').length;
}

const refusal = (fn: () => unknown): DccError => {
  try {
    fn();
  } catch (error) {
    return error as DccError;
  }
  throw new Error('not refused');
};

describe('grid connections (feeder and substation of a meter point)', () => {
  it('records them from a feed line, answers them with the parties, and keeps them when a line omits them', () => {
    const state = new RegistrationState(100);
    expect(load(state, line(1, { substation: 'SS-1', feeder: 'SS-1-F2' }))).toBe(1);
    expect(load(state, line(1, { substation: 'SS-1', feeder: 'SS-1-F2' }))).toBe(0);
    expect(load(state, line(1))).toBe(0);
    expect(deviceParties(state, { deviceId: '00-DB-12-00-00-00-00-01', instantMs: 0 }, clock)).toMatchObject({
      known: true,
      networkOperatorId: DNO,
      feeder: 'SS-1-F2',
      substation: 'SS-1',
    });
    expect(load(state, line(1, { substation: 'SS-1', feeder: 'SS-1-F3' }))).toBe(1);
    expect(deviceParties(state, { deviceId: '00-DB-12-00-00-00-00-01', instantMs: 0 }, clock).feeder).toBe(
      'SS-1-F3',
    );
  });

  it('lists the meters on a feeder or on every feeder of a substation', () => {
    const state = new RegistrationState(100);
    load(state, line(1, { substation: 'SS-1', feeder: 'SS-1-F1' }));
    load(state, line(2, { substation: 'SS-1', feeder: 'SS-1-F1' }));
    load(state, line(3, { substation: 'SS-1', feeder: 'SS-1-F2' }));
    load(state, line(4, { substation: 'SS-2', feeder: 'SS-2-F1' }));
    load(state, line(5));
    const ids = (r: { meters: { deviceId: string }[] }) => r.meters.map((m) => m.deviceId.slice(-2));
    expect(ids(gridMeters(state, { feeder: 'SS-1-F1', substation: '' }))).toEqual(['01', '02']);
    expect(ids(gridMeters(state, { feeder: '', substation: 'SS-1' }))).toEqual(['01', '02', '03']);
    expect(gridMeters(state, { feeder: 'SS-9-F1', substation: '' }).meters).toEqual([]);
    expect(gridMeters(state, { feeder: 'SS-2-F1', substation: '' }).meters).toEqual([
      { deviceId: '00-DB-12-00-00-00-00-04', smetsGeneration: 'SMETS2' },
    ]);
    for (const bad of [
      { feeder: '', substation: '' },
      { feeder: 'SS-1-F1', substation: 'SS-1' },
      { feeder: 'SS.1', substation: '' },
    ]) {
      expect(refusal(() => gridMeters(state, bad)).status).toBe(GrpcStatus.INVALID_ARGUMENT);
    }
  });

  it('refuses a grid connection on a gas point, or one that is not a subject token', () => {
    const gas = JSON.stringify({
      mpxn: mprn('39384244'),
      fuel: 'gas',
      meterKind: 'SMETS2',
      cspRegion: 'North',
      gridConnection: { substation: 'SS-1', feeder: 'SS-1-F1' },
    });
    expect(refusal(() => parseFeedLine(gas)).message).toMatch(/only an electricity point is on a feeder/);
    for (const feeder of ['SS-1.F1', 'F*', '', 'a b']) {
      expect(refusal(() => parseFeedLine(line(1, { substation: 'SS-1', feeder }))).message).toMatch(
        /gridConnection.feeder/,
      );
    }
    expect(
      refusal(() => parseFeedLine(line(1, undefined, { gridConnection: { feeder: 'F1' } }))).message,
    ).toMatch(/gridConnection.substation/);
  });
});
