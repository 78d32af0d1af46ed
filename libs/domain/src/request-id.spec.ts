import { describe, expect, it } from 'vitest';
import { DccError } from './dcc-error.js';
import { GrpcStatus } from './grpc-status.js';
import { parseRequestId, responseIdFor } from './request-id.js';

describe('parseRequestId', () => {
  it('parses originator, target and a counter beyond 2^53', () => {
    const id = parseRequestId('90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:18446744073709551615');
    expect(id.originator).toBe('90-B3-D5-1F-30-01-00-00');
    expect(id.target).toBe('00-DB-12-34-56-78-90-A0');
    expect(id.counter).toBe(18446744073709551615n);
    expect(responseIdFor(id)).toBe('00-DB-12-34-56-78-90-A0:90-B3-D5-1F-30-01-00-00:18446744073709551615');
  });

  it.each([
    ['', /missing/],
    ['90-B3-D5-1F-30-01-00-00:1000', /three parts/],
    ['90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:-1', /unsigned decimal/],
    ['90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:18446744073709551616', /exceeds/],
    ['90-B3-D5-1F-30-01-00:00-DB-12-34-56-78-90-A0:1', /originator .* not an EUI-64/],
    ['90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-ZZ:1', /target .* not an EUI-64/],
    // Lower case is another spelling of the same id: refused, not canonicalised (eui64.ts).
    ['90-B3-D5-1F-30-01-00-00:00-db-12-34-56-78-90-a0:1', /target .* not an EUI-64 in DUIS form/],
  ])('rejects %j with INVALID_ARGUMENT', (value, message) => {
    const error = (() => {
      try {
        parseRequestId(value);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(DccError);
    expect((error as DccError).status).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect((error as DccError).message).toMatch(message);
  });
});
