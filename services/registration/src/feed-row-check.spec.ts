import { demonstrationEstate, estateFeedLines } from '@dcc/registry';
import { describe, expect, it } from 'vitest';
import { wellFormedRow } from './feed-row-check.js';
import { schemaRow } from './feed.js';

const estate = [
  ...estateFeedLines(
    demonstrationEstate(300, {
      supplier: '90-B3-D5-1F-30-01-00-00',
      networkOperator: '90-B3-D5-1F-30-02-00-00',
    }),
  ),
].map((line) => JSON.parse(line) as Record<string, unknown>);
const base = estate[0]!;
const device = base.device as Record<string, unknown>;

describe('the feed schema without the schema library (wellFormedRow)', () => {
  it('gives every well-formed line exactly the shape the schema gives it', () => {
    const variants = [
      ...estate,
      { ...base, status: 'withdrawn', uprn: '000123' },
      { ...base, supplier: { party: null, from: 1_700_000_000_000 } },
      { ...base, device: { id: device.id, status: 'Pending' } },
      { ...base, device: { ...device, kaPublicKey: 'AAAA' } },
      { ...base, gridConnection: { substation: 'SUB-1', feeder: 'F_2' } },
    ];
    for (const json of variants) expect(wellFormedRow(json)).toEqual(schemaRow(json));
  });

  it('leaves everything the schema might refuse to the schema', () => {
    const refused = [
      null,
      [],
      'text',
      { ...base, colour: 'blue' },
      { ...base, gridConnection: { substation: 'SUB 1', feeder: 'F2' } },
      { ...base, gridConnection: { feeder: 'F2' } },
      { ...base, commsHub: { id: device.id, status: 'Commissioned', kaPublicKey: 'AAAA' } },
      { ...base, fuel: 'water' },
      { ...base, mpxn: 1 },
      { ...base, uprn: '1234567890123' },
      { ...base, cspRegion: null },
      { ...base, status: 'gone' },
      { ...base, device: { ...device, status: 'NotApplicable' } },
      { ...base, device: { ...device, model: 'x'.repeat(65) } },
      { ...base, device: { ...device, type: 'CHF' } },
      { ...base, device: { ...device, extra: 1 } },
      { ...base, commsHub: { id: 'x', status: 'Commissioned', type: 'GPF' } },
      { ...base, hanDevices: [{ id: 'x', status: 'Commissioned' }] },
      {
        ...base,
        hanDevices: Array.from({ length: 9 }, () => ({ id: 'x', type: 'IHD', status: 'Commissioned' })),
      },
      { ...base, supplier: { party: 3, from: '2024-01-01' } },
      { ...base, supplier: { party: null, from: '2024-01-01', to: '2025-01-01' } },
      { ...base, supplier: { party: null, from: null } },
    ];
    for (const json of refused) expect(wellFormedRow(json)).toBeUndefined();
  });
});
