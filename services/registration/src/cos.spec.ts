import { DccError, GrpcStatus } from '@dcc/domain';
import { AppointmentRole } from '@dcc/registry';
import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import { type Change } from './commands.js';
import { feedRowChanges } from './feed-changes.js';
import {
  dueSwitchChanges,
  objectionChanges,
  requestSwitchChanges,
  resolveChanges,
  type CosSettings,
} from './switch-changes.js';
import { parseFeedLine } from './feed.js';
import { RegistrationState } from './state.js';
import { mpan, mprn } from './test-helpers.js';

const OLD = '90-B3-D5-1F-30-01-00-00';
const NEW = '90-B3-D5-1F-30-09-00-00';
const ELEC = mpan('101234567890');
const GAS = mprn('39384244');
const settings: CosSettings = {
  objectionWorkingDays: 5,
  resolveWorkingDays: 3,
  gasEffectiveDays: 7,
  holidays: new Set(),
};
const DAY = 86_400_000;

let state: RegistrationState;
let clock: ManualClock;

function apply(changes: Change[]): Change[] {
  for (const change of changes) state.apply({ recordedAtMs: clock.now(), change });
  return changes;
}

function failureOf(fn: () => unknown): DccError {
  try {
    fn();
  } catch (error) {
    return error as DccError;
  }
  throw new Error('expected a failure');
}

const supplierAt = (mpxn: string, ms: number) =>
  state.partyId(state.view.holderAt(state.view.pointOfMpxn(mpxn), AppointmentRole.SUPPLIER, ms));

function request(mpxn: string, effectiveMs = 0): string {
  const id = `switch-${mpxn}`;
  apply(
    requestSwitchChanges(state, { mpxn, gainingSupplierId: NEW, effectiveMs }, clock.now(), settings, id),
  );
  return id;
}

beforeEach(() => {
  state = new RegistrationState(16);
  clock = new ManualClock(Date.parse('2025-06-04T10:00:00Z')); // a Wednesday
  for (const line of [
    {
      mpxn: ELEC,
      fuel: 'electricity',
      meterKind: 'SMETS2',
      cspRegion: 'South',
      device: { id: '00-DB-12-00-00-00-00-01', status: 'Commissioned' },
    },
    { mpxn: GAS, fuel: 'gas', meterKind: 'SMETS2', cspRegion: 'South' },
  ]) {
    apply(
      feedRowChanges(
        state,
        parseFeedLine(JSON.stringify({ ...line, supplier: { party: OLD, from: '2020-01-01' } })),
      ),
    );
  }
});

describe('change of supplier, electricity', () => {
  it('completes after the 5-working-day window on its date, recording a definitive reading', () => {
    const id = request(ELEC, Date.parse('2025-06-20T00:00:00Z'));
    expect(state.switchOf(id).objectionDeadlineMs).toBe(Date.parse('2025-06-11T10:00:00Z'));
    clock.set(Date.parse('2025-06-19T23:59:59Z'));
    expect(apply(dueSwitchChanges(state, clock.now()))).toEqual([]);
    clock.set(Date.parse('2025-06-20T00:00:00Z'));
    const done = apply(dueSwitchChanges(state, clock.now()));
    expect(done.map((c) => c.$case)).toEqual(['switchCompleted', 'definitiveReadingRequired']);
    expect(done[1]!.value).toMatchObject({ mpxn: ELEC, deviceId: '00-DB-12-00-00-00-00-01' });
    expect(state.switchOf(id).state).toBe('completed');
    expect(supplierAt(ELEC, Date.parse('2025-06-19T23:59:59Z'))).toBe(OLD);
    expect(supplierAt(ELEC, Date.parse('2025-06-20T00:00:00Z'))).toBe(NEW);
  });

  it('never takes effect before the objection window closes', () => {
    const id = request(ELEC, Date.parse('2025-06-05T00:00:00Z'));
    expect(state.switchOf(id).effectiveMs).toBe(Date.parse('2025-06-11T10:00:00Z'));
  });

  it('takes an objection inside the window; resolved, the switch proceeds', () => {
    const id = request(ELEC);
    clock.set(Date.parse('2025-06-11T09:59:59Z')); // the last second of the window
    apply(objectionChanges(state, { switchId: id, partyId: OLD, reason: 'debt' }, clock.now(), settings));
    expect(state.switchOf(id)).toMatchObject({
      state: 'objected',
      resolveDeadlineMs: Date.parse('2025-06-16T09:59:59Z'),
    });
    expect(apply(dueSwitchChanges(state, Date.parse('2025-06-12T00:00:00Z')))).toEqual([]); // objected: waits
    apply(resolveChanges(state, { switchId: id, partyId: OLD }, Date.parse('2025-06-12T00:00:00Z')));
    expect(state.switchOf(id).state).toBe('pending');
    apply(dueSwitchChanges(state, Date.parse('2025-06-12T00:00:00Z')));
    expect(state.switchOf(id).state).toBe('completed');
  });

  it('unpicks an objected switch not resolved in time', () => {
    const id = request(ELEC);
    apply(objectionChanges(state, { switchId: id, partyId: OLD, reason: 'debt' }, clock.now(), settings));
    const unpicked = apply(dueSwitchChanges(state, state.switchOf(id).resolveDeadlineMs));
    expect(unpicked.map((c) => c.$case)).toEqual(['switchUnpicked']);
    expect(state.switchOf(id).state).toBe('unpicked');
    expect(supplierAt(ELEC, Date.parse('2030-01-01T00:00:00Z'))).toBe(OLD);
    expect(failureOf(() => resolveChanges(state, { switchId: id, partyId: OLD }, clock.now())).status).toBe(
      GrpcStatus.FAILED_PRECONDITION,
    );
  });

  it('refuses an objection after the window, or from anyone but the losing supplier', () => {
    const id = request(ELEC, Date.parse('2025-07-01T00:00:00Z'));
    expect(
      failureOf(() =>
        objectionChanges(state, { switchId: id, partyId: NEW, reason: '' }, clock.now(), settings),
      ).status,
    ).toBe(GrpcStatus.PERMISSION_DENIED);
    clock.set(Date.parse('2025-06-11T10:00:00Z')); // the window has closed
    const late = failureOf(() =>
      objectionChanges(state, { switchId: id, partyId: OLD, reason: '' }, clock.now(), settings),
    );
    expect(late.status).toBe(GrpcStatus.FAILED_PRECONDITION);
    expect(late.message).toMatch(/objection window/);
  });

  it('allows one switch in progress per point', () => {
    request(ELEC);
    expect(
      failureOf(() =>
        requestSwitchChanges(
          state,
          { mpxn: ELEC, gainingSupplierId: NEW, effectiveMs: 0 },
          clock.now(),
          settings,
          'x',
        ),
      ).message,
    ).toMatch(/already in progress/);
  });
});

describe('change of supplier, gas', () => {
  it('is irrevocable once confirmed and effective 7 days later', () => {
    const id = request(GAS);
    const s = state.switchOf(id);
    expect(s).toMatchObject({
      irrevocable: true,
      effectiveMs: clock.now() + 7 * DAY,
      objectionDeadlineMs: 0,
    });
    const objection = failureOf(() =>
      objectionChanges(state, { switchId: id, partyId: OLD, reason: '' }, clock.now(), settings),
    );
    expect(objection.status).toBe(GrpcStatus.FAILED_PRECONDITION);
    expect(objection.message).toMatch(/irrevocable/);
    expect(apply(dueSwitchChanges(state, clock.now() + 7 * DAY - 1))).toEqual([]);
    apply(dueSwitchChanges(state, clock.now() + 7 * DAY));
    expect(state.switchOf(id).state).toBe('completed');
    expect(supplierAt(GAS, clock.now() + 7 * DAY)).toBe(NEW);
  });
});
