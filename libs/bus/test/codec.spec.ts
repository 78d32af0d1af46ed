import { ServiceResponse } from '@dcc/proto';
import { describe, expect, it } from 'vitest';
import { decode, encode } from '../src/codec.js';

const response = (detail: string, executionDateTimeMs?: number): ServiceResponse =>
  ServiceResponse.fromPartial({ requestId: 'A:B:1', responseCode: 'I0', detail, executionDateTimeMs });

const roundTrip = (message: ServiceResponse): ServiceResponse =>
  decode(ServiceResponse, encode(ServiceResponse, message), 'response');

describe('encode with the codec’s reused writer', () => {
  it('gives each message exactly its own bytes, whatever size came before it', () => {
    for (const detail of ['x'.repeat(5_000), 'short', '', 'y'.repeat(300), 'z']) {
      const message = response(detail);
      expect(encode(ServiceResponse, message)).toEqual(ServiceResponse.encode(message).finish());
      expect(roundTrip(message)).toEqual(message);
    }
  });

  it('rewinds after an encode that throws part-way, so the next message carries nothing of it', () => {
    encode(ServiceResponse, response('warm the writer'));
    // requestId, responseCode and detail are written before the bad int64 throws
    expect(() => encode(ServiceResponse, response('half-written', 1.5))).toThrow();
    const next = response('after the throw');
    expect(encode(ServiceResponse, next)).toEqual(ServiceResponse.encode(next).finish());
  });

  it('encodes a message larger than the writer it keeps, and the small ones after it', () => {
    const large = response('L'.repeat(200_000));
    expect(roundTrip(large).detail).toHaveLength(200_000);
    const small = response('small');
    expect(encode(ServiceResponse, small)).toEqual(ServiceResponse.encode(small).finish());
  });
});
