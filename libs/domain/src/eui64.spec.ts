import { describe, expect, it } from 'vitest';
import { DccError } from './dcc-error.js';
import { eui64FromBigInt, eui64ToBigInt, isEui64, parseEui64 } from './eui64.js';
import { GrpcStatus } from './grpc-status.js';

describe('EUI-64: only the DUIS spelling is accepted', () => {
  it('accepts eight upper-case hex octets joined by "-"', () => {
    expect(parseEui64('00-DB-12-00-00-00-00-2A')).toBe('00-DB-12-00-00-00-00-2A');
    expect(isEui64('90-B3-D5-1F-30-01-00-00')).toBe(true);
  });

  it.each([
    '00-db-12-00-00-00-00-2a',
    '00DB12000000002A',
    '00:DB:12:00:00:00:00:2A',
    '00-DB-12-00-00-00-2A',
    '',
  ])('refuses "%s" with INVALID_ARGUMENT naming the field, rather than canonicalising it', (spelling) => {
    let error: unknown;
    try {
      parseEui64(spelling, 'RequestID target');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DccError);
    expect((error as DccError).status).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect((error as DccError).message).toMatch(/RequestID target .* not an EUI-64 in DUIS form/);
    expect(isEui64(spelling)).toBe(false);
  });

  it('round-trips through the 64-bit integer in the DUIS spelling', () => {
    const id = parseEui64('90-B3-D5-1F-30-01-00-00');
    expect(eui64FromBigInt(eui64ToBigInt(id))).toBe(id);
  });
});
