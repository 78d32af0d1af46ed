// The inventory knows what each device is beyond its type: an ESME's variant (from the feed or 12.2) and, from
// 12.2 Device Pre-notification, its manufacturer and SMETS/CHTS version.
import { DccError, isEsmeVariant, isPolyPhase } from '@dcc/domain';
import { demonstrationEstate, estateFeedLines } from '@dcc/registry';
import { beforeEach, describe, expect, it } from 'vitest';
import { prenotificationChanges, type Change } from './commands.js';
import { feedRowChanges } from './feed-changes.js';
import { parseFeedLine } from './feed.js';
import { RegistrationState } from './state.js';
import { mpan, mprn } from './test-helpers.js';

const ESME = '00-DB-12-00-00-00-00-01';
const line = (device: Record<string, unknown>, fuel = 'electricity') =>
  JSON.stringify({
    mpxn: fuel === 'gas' ? mprn('39384244') : mpan('101234567890'),
    fuel,
    meterKind: 'SMETS2',
    cspRegion: 'North',
    device: { id: ESME, status: 'Commissioned', ...device },
  });
// DCC's 12.2 sample, on a device not yet in the inventory.
const PRENOTIFICATION = {
  deviceId: '00-DB-12-00-00-00-00-09',
  deviceType: 'ESME',
  model: '010A030B',
  firmwareVersion: '0002012F',
  smetsGeneration: '',
  manufacturer: 'AB01',
  smetsChtsVersion: 'SMETS V1.58',
  esmeVariant: 'AD',
};

let state: RegistrationState;
const apply = (changes: Change[]) => changes.forEach((change) => state.apply({ recordedAtMs: 0, change }));

beforeEach(() => {
  state = new RegistrationState(16);
});

describe('ESME variant on the registration feed', () => {
  it('records the variant a line gives, and keeps it when a later line leaves it out', () => {
    apply(feedRowChanges(state, parseFeedLine(line({ esmeVariant: 'C' }))));
    expect(state.devices.get(ESME)).toMatchObject({ deviceType: 'ESME', esmeVariant: 'C' });
    apply(feedRowChanges(state, parseFeedLine(line({ model: 'E470' }))));
    expect(state.devices.get(ESME)).toMatchObject({ model: 'E470', esmeVariant: 'C' });
    apply(feedRowChanges(state, parseFeedLine(line({ esmeVariant: 'A' }))));
    expect(state.devices.get(ESME)?.esmeVariant).toBe('A');
  });

  it.each([
    [line({ esmeVariant: 'D' }), /esmeVariant/],
    [line({ esmeVariant: 'C' }, 'gas'), /only an ESME has a variant/],
  ])('refuses %s', (text, why) => {
    expect(() => parseFeedLine(text)).toThrow(why);
  });
});

describe('the demonstration estate', () => {
  it('holds poly-phase, twin-element and single-element ESMEs, recorded with their variants', () => {
    state = new RegistrationState(400);
    const options = demonstrationEstate(300, {
      supplier: '90-B3-D5-1F-30-01-00-00',
      networkOperator: '90-B3-D5-1F-30-02-00-00',
    });
    for (const text of estateFeedLines(options)) apply(feedRowChanges(state, parseFeedLine(text)));
    const esmes = [...estateFeedLines(options)]
      .map((text) => parseFeedLine(text).device)
      .filter((d) => d?.type === 'ESME' && d.esmeVariant !== '');
    const variants = esmes.map((d) => state.devices.get(d!.id)!.esmeVariant);
    expect(variants.every(isEsmeVariant)).toBe(true);
    expect(new Set(variants)).toEqual(new Set(['A', 'AD', 'B', 'C']));
    expect(variants.filter((v) => isEsmeVariant(v) && isPolyPhase(v)).length).toBeGreaterThan(5);
  });
});

describe('12.2 Device Pre-notification stores what DUIS carries', () => {
  it("stores the sample's manufacturer, SMETS/CHTS version and ESME variant, as SMETS2 and Pending", () => {
    apply(prenotificationChanges(state, PRENOTIFICATION));
    expect(state.devices.get(PRENOTIFICATION.deviceId)).toMatchObject({
      manufacturer: 'AB01',
      smetsChtsVersion: 'SMETS V1.58',
      esmeVariant: 'AD',
      smetsGeneration: 'SMETS2',
      model: '010A030B',
    });
    // The same notification again changes nothing; a different one for the same device is refused.
    expect(prenotificationChanges(state, PRENOTIFICATION)).toEqual([]);
    expect(() => prenotificationChanges(state, { ...PRENOTIFICATION, esmeVariant: 'C' })).toThrow(/already/);
  });

  it.each([
    [{ manufacturer: 'AB0' }, /manufacturer/],
    [{ manufacturer: 'XY01' }, /manufacturer must be hex digits/],
    [{ smetsChtsVersion: '' }, /smetsChtsVersion/],
    [{ esmeVariant: '' }, /esmeVariant must be one of/],
    [{ esmeVariant: 'E' }, /esmeVariant must be one of/],
    [{ deviceType: 'IHD', esmeVariant: 'A' }, /only an ESME has a variant/],
  ])('refuses %j as INVALID_ARGUMENT', (change, why) => {
    const refusal = (() => {
      try {
        prenotificationChanges(state, { ...PRENOTIFICATION, ...change });
      } catch (error) {
        return error as DccError;
      }
      throw new Error('expected a refusal');
    })();
    expect(refusal.message).toMatch(why);
    expect(state.devices.get(PRENOTIFICATION.deviceId)).toBeUndefined();
  });
});
