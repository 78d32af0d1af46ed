import { DccError, GrpcStatus } from '@dcc/domain';
import { UserRole } from '@dcc/proto';
import { beforeEach, describe, expect, it } from 'vitest';
import { authorise } from './authorise.js';
import { ManualClock } from './clock.js';
import { grantConsentChanges, revokeConsentChanges, type Change } from './commands.js';
import { feedRowChanges } from './feed-changes.js';
import { tenancyChanges } from './switch-changes.js';
import { parseFeedLine } from './feed.js';
import { RegistrationState } from './state.js';
import { mpan } from './test-helpers.js';

const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
const OU = '90-B3-D5-1F-30-0C-00-00';
const OTHER_OU = '90-B3-D5-1F-30-0D-00-00';
const DEVICE = '00-DB-12-00-00-00-00-01';
const ELEC = mpan('101234567890');
const DAY = 86_400_000;
const T0 = Date.parse('2025-06-04T10:00:00Z');

let state: RegistrationState;
let clock: ManualClock;

function apply(changes: Change[]): Change[] {
  for (const change of changes) state.apply({ recordedAtMs: clock.now(), change });
  return changes;
}

const point = () => state.point(ELEC);
const ask = (userId: string, role: UserRole, instantMs: number) =>
  authorise(state, { userId, userRole: role, deviceId: DEVICE, instantMs }, clock);
const asOu = (userId: string, instantMs: number) =>
  ask(userId, UserRole.USER_ROLE_OTHER_USER, instantMs).responseCode;

beforeEach(() => {
  state = new RegistrationState(8);
  clock = new ManualClock(T0);
  apply(
    feedRowChanges(
      state,
      parseFeedLine(
        JSON.stringify({
          mpxn: ELEC,
          fuel: 'electricity',
          meterKind: 'SMETS2',
          cspRegion: 'South',
          device: { id: DEVICE, status: 'Commissioned' },
          supplier: { party: SUPPLIER, from: '2025-01-01' },
        }),
      ),
    ),
  );
});

describe('Other User consents', () => {
  it('OU is E4 without a consent, ok inside it, E4 after it ends or is withdrawn', () => {
    expect(asOu(OU, T0)).toBe('E4');
    apply(grantConsentChanges(state, { mpxn: ELEC, partyId: OU, fromMs: T0, untilMs: T0 + 10 * DAY }));
    expect(asOu(OU, T0 - 1)).toBe('E4');
    expect(ask(OU, UserRole.USER_ROLE_OTHER_USER, T0)).toMatchObject({
      responseCode: '',
      holdingStartMs: T0,
    });
    expect(asOu(OTHER_OU, T0)).toBe('E4');
    expect(asOu(OU, T0 + 10 * DAY)).toBe('E4'); // until is exclusive

    // the same grant again records nothing; a withdrawal ends it from then on
    expect(
      grantConsentChanges(state, { mpxn: ELEC, partyId: OU, fromMs: T0, untilMs: T0 + 10 * DAY }),
    ).toEqual([]);
    apply(revokeConsentChanges(state, { mpxn: ELEC, partyId: OU, reason: '' }, T0 + DAY));
    expect(asOu(OU, T0 + DAY - 1)).toBe('');
    expect(asOu(OU, T0 + DAY)).toBe('E4');
    expect(state.consentsAt(point())).toEqual([
      { partyId: OU, fromMs: T0, untilMs: T0 + 10 * DAY, revokedAtMs: T0 + DAY, revokedReason: 'withdrawn' },
    ]);
    const none = (() => {
      try {
        revokeConsentChanges(state, { mpxn: ELEC, partyId: OU, reason: '' }, T0 + 2 * DAY);
      } catch (error) {
        return error as DccError;
      }
      return undefined;
    })();
    expect(none?.status).toBe(GrpcStatus.NOT_FOUND);
  });

  it('a new grant replaces the standing consent; bad instants are refused', () => {
    apply(grantConsentChanges(state, { mpxn: ELEC, partyId: OU, fromMs: T0, untilMs: 0 }));
    apply(grantConsentChanges(state, { mpxn: ELEC, partyId: OU, fromMs: T0 + DAY, untilMs: T0 + 2 * DAY }));
    expect(asOu(OU, T0 + 12 * 3_600_000)).toBe('');
    expect(asOu(OU, T0 + 3 * DAY)).toBe('E4');
    expect(() => grantConsentChanges(state, { mpxn: ELEC, partyId: OU, fromMs: T0 + 1, untilMs: 0 })).toThrow(
      /whole second/,
    );
    expect(() => grantConsentChanges(state, { mpxn: ELEC, partyId: OU, fromMs: T0, untilMs: T0 })).toThrow(
      /until_ms/,
    );
    expect(() =>
      grantConsentChanges(state, { mpxn: ELEC, partyId: 'nope', fromMs: T0, untilMs: 0 }),
    ).toThrow();
  });

  it('a change of tenancy revokes every standing consent, one event each', () => {
    apply(grantConsentChanges(state, { mpxn: ELEC, partyId: OU, fromMs: T0, untilMs: 0 }));
    apply(grantConsentChanges(state, { mpxn: ELEC, partyId: OTHER_OU, fromMs: T0, untilMs: 0 }));
    const cot = T0 + 5 * DAY;
    const changes = apply(tenancyChanges(state, ELEC, cot));
    expect(changes.map((c) => c.$case)).toEqual(['tenancyStarted', 'consentRevoked', 'consentRevoked']);
    expect(asOu(OU, cot - 1000)).toBe('');
    expect(asOu(OU, cot)).toBe('E4');
    expect(asOu(OTHER_OU, cot)).toBe('E4');
    // the new tenant's consent counts; one from before the new tenancy is refused
    expect(() => grantConsentChanges(state, { mpxn: ELEC, partyId: OU, fromMs: T0, untilMs: 0 })).toThrow(
      /precedes the current tenancy/,
    );
    apply(grantConsentChanges(state, { mpxn: ELEC, partyId: OU, fromMs: cot + DAY, untilMs: 0 }));
    expect(asOu(OU, cot + DAY)).toBe('');
    // the same tenancy again records nothing and revokes nothing
    expect(tenancyChanges(state, ELEC, cot)).toEqual([]);
  });

  it('replaying the events builds the same consents', () => {
    const events: Change[] = [];
    events.push(...apply(grantConsentChanges(state, { mpxn: ELEC, partyId: OU, fromMs: T0, untilMs: 0 })));
    events.push(...apply(tenancyChanges(state, ELEC, T0 + DAY)));
    const replayed = new RegistrationState(8);
    const first = feedRowChanges(
      replayed,
      parseFeedLine(
        JSON.stringify({ mpxn: ELEC, fuel: 'electricity', meterKind: 'SMETS2', cspRegion: 'South' }),
      ),
    );
    for (const change of [...first, ...events]) replayed.apply({ recordedAtMs: T0, change });
    expect(replayed.consentsAt(replayed.point(ELEC))).toEqual(state.consentsAt(point()));
  });
});

describe('the holding start in the authorise answer', () => {
  it('is the start of the supplier appointment in effect; 0 when refused', () => {
    expect(ask(SUPPLIER, UserRole.USER_ROLE_IMPORT_SUPPLIER, T0)).toMatchObject({
      responseCode: '',
      holdingStartMs: Date.parse('2025-01-01T00:00:00Z'),
      tenancyStartMs: 0,
    });
    expect(ask(OU, UserRole.USER_ROLE_IMPORT_SUPPLIER, T0)).toMatchObject({
      responseCode: 'E4',
      holdingStartMs: 0,
    });
  });
});
