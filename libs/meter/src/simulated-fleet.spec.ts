import { parseEui64 } from '@dcc/domain';
import { describe, expect, it } from 'vitest';
import { SimulatedFleet } from './simulated-fleet.js';

describe('SimulatedFleet', () => {
  const fleet = new SimulatedFleet(30_000_000);

  it('maps indexes to device ids and back across the whole range', () => {
    for (const i of [0, 1, 255, 65_536, 29_999_999]) expect(fleet.indexOf(fleet.deviceId(i))).toBe(i);
    expect(fleet.deviceId(0)).toBe('00-DB-12-00-00-00-00-00');
    expect(fleet.deviceId(29_999_999)).toBe('00-DB-12-00-01-C9-C3-7F');
  });

  it('knows which devices are not in it', () => {
    expect(fleet.find(parseEui64('00-DB-12-00-01-C9-C3-80'))).toBeUndefined();
    expect(fleet.find(parseEui64('90-B3-D5-1F-30-01-00-00'))).toBeUndefined();
    expect(fleet.find(fleet.deviceId(5))).toEqual({
      deviceId: fleet.deviceId(5),
      type: 'ESME',
      generation: 'SMETS2',
    });
  });

  it('rejects an impossible size', () => {
    expect(() => new SimulatedFleet(-1)).toThrow(/invalid/);
  });
});
