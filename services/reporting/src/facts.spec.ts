import { acceptedAtHeaders, encode } from '@dcc/bus';
import { ON_DEMAND_TRT_MS } from '@dcc/domain';
import { RequestAccounted, ServiceResponse } from '@dcc/proto';
import { headers } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { decisionFacts, responseFacts, type StoredMessage } from './facts.js';

const USER = '90-B3-D5-1F-30-01-00-00';
const ACCEPTED = Date.UTC(2026, 11, 31, 23, 59, 50);

function response(fields: Partial<ServiceResponse>, storedAtMs: number, acceptedAt?: number): StoredMessage {
  const h = headers();
  for (const [name, value] of Object.entries(acceptedAt ? acceptedAtHeaders(acceptedAt) : {}))
    h.set(name, value);
  return {
    seq: 7,
    subject: `dcc.resp.${USER}`,
    storedAtMs,
    headers: h,
    data: encode(
      ServiceResponse,
      ServiceResponse.fromPartial({ serviceReferenceVariant: '4.1.1', ...fields }),
    ),
  };
}

describe('facts read from the streams', () => {
  it('an on-demand response: delivered in the month delivered, within TRT up to the TRT after acceptance, and its request accepted in the month accepted', () => {
    expect(responseFacts(response({}, ACCEPTED + ON_DEMAND_TRT_MS, ACCEPTED))).toEqual([
      {
        kind: 'response',
        seq: 7,
        month: '2027-01', // delivered after midnight: counted in the month it was delivered
        user: USER,
        srv: '4.1.1',
        measure: 1,
        withinTrt: true,
      },
      { kind: 'decision', seq: 7, month: '2026-12', user: USER, srv: '4.1.1', outcome: 'I99' },
    ]);
    expect(responseFacts(response({}, ACCEPTED + ON_DEMAND_TRT_MS + 1, ACCEPTED))[0]).toMatchObject({
      withinTrt: false,
    });
  });

  it("a DCC schedule's run counts under Measure 2; an alert (no acceptance instant) is no Service Response", () => {
    // A run is charged as the 5.1 that created its schedule: delivered, not accepted again.
    const run = responseFacts(response({ dspScheduleId: '123456789012' }, ACCEPTED + 1_000, ACCEPTED));
    expect(run).toHaveLength(1);
    expect(run[0]).toMatchObject({ kind: 'response', measure: 2, withinTrt: true });
    expect(responseFacts(response({}, ACCEPTED))).toEqual([]);
  });

  it('a refusal: counted in the month decided; an SRV or outcome a caller made up is "other"', () => {
    const message = (record: Partial<RequestAccounted>): StoredMessage => ({
      seq: 3,
      subject: `dcc.evt.accounting.${USER}`,
      storedAtMs: ACCEPTED + 20_000,
      headers: undefined,
      data: encode(
        RequestAccounted,
        RequestAccounted.fromPartial({ userId: USER, decidedAtMs: ACCEPTED, ...record }),
      ),
    });
    expect(decisionFacts(message({ serviceReferenceVariant: '4.1.1', outcome: 'E19' }))).toEqual([
      { kind: 'decision', seq: 3, month: '2026-12', user: USER, srv: '4.1.1', outcome: 'E19' },
    ]);
    expect(decisionFacts(message({ serviceReferenceVariant: '__proto__', outcome: 'x y' }))[0]).toMatchObject(
      {
        srv: 'other',
        outcome: 'other',
      },
    );
  });

  it('refuses an undecodable message (terminated, never counted)', () => {
    const garbage = { ...response({}, ACCEPTED, ACCEPTED), data: new Uint8Array([0xff, 0xff, 0xff]) };
    expect(() => responseFacts(garbage)).toThrow(/malformed/);
  });
});
