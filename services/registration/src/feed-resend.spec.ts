import { AppointmentRole } from '@dcc/registry';
import { describe, expect, it } from 'vitest';
import { type Change } from './commands.js';
import { feedRowChanges } from './feed-changes.js';
import { parseFeedLine } from './feed.js';
import { RegistrationState } from './state.js';
import { mpan } from './test-helpers.js';

// A feed line's events are published one by one: a crash can land after some of them are stored. A re-send of
// the feed (its earlier full-refresh row, then the interrupted incremental row) must then record only what is
// missing: neither revert what the interrupted row already recorded nor be refused.

const A = '90-B3-D5-1F-30-01-00-00';
const B = '90-B3-D5-1F-30-09-00-00';
const MPXN = mpan('101234567890');
const DEVICE = '00-DB-12-00-00-00-00-01';
const line = (supplier: string, from: string, status: string, point = 'enrolled') =>
  parseFeedLine(
    JSON.stringify({
      mpxn: MPXN,
      status: point,
      fuel: 'electricity',
      meterKind: 'SMETS2',
      cspRegion: 'South',
      device: { id: DEVICE, status },
      supplier: { party: supplier, from },
    }),
  );
const refresh = line(A, '2020-01-01', 'Commissioned');
// Another supplier, the meter suspended and the point withdrawn: three events.
const incremental = line(B, '2025-01-01', 'Suspended', 'withdrawn');

function recorder() {
  const state = new RegistrationState(16);
  let events = 0;
  const record = (changes: Change[]) => {
    for (const change of changes) state.apply({ recordedAtMs: 0, change });
    events += changes.length;
    return changes;
  };
  return { state, record, events: () => events };
}

function outcome(state: RegistrationState) {
  const point = state.view.pointOfMpxn(MPXN);
  return {
    supplier: state.partyId(state.view.holder(point, AppointmentRole.SUPPLIER)),
    status: state.devices.get(DEVICE)?.status,
    enrolled: state.view.describe(point).enrolled,
  };
}

describe('a feed re-sent after a crash inside a line', () => {
  const clean = recorder();
  clean.record(feedRowChanges(clean.state, refresh));
  const owed = clean.record(feedRowChanges(clean.state, incremental)).length;
  it('the incremental line records three events', () => expect(owed).toBe(3));

  it.each(Array.from({ length: owed + 1 }, (_, k) => k))(
    'with %i of the incremental line’s events stored: records only the rest, ends as a clean load',
    (stored) => {
      const crashed = recorder();
      crashed.record(feedRowChanges(crashed.state, refresh));
      crashed.record(feedRowChanges(crashed.state, incremental).slice(0, stored));

      crashed.record(feedRowChanges(crashed.state, refresh)); // the re-send
      crashed.record(feedRowChanges(crashed.state, incremental));
      expect(outcome(crashed.state)).toEqual(outcome(clean.state));
      expect(crashed.events()).toBe(clean.events());
    },
  );
});
