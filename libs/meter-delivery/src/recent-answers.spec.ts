import { ServiceResponse } from '@dcc/proto';
import { describe, expect, it } from 'vitest';
import { recallAnswer, rememberAnswer } from './recent-answers.js';

const requestIdOf = (n: number) => `90-B3-D5-1F-30-01-00-00:00-DB-12-00-00-00-00-03:${n}`;
const answer = (n: number) =>
  ServiceResponse.fromPartial({
    requestId: requestIdOf(n),
    responseCode: 'I0',
    // Bytes above 0x7f on the wire (a long varint), which the packed string must carry unchanged.
    responseDateTimeMs: 1_796_605_200_000 + n,
    detail: 'réponse ✓',
  });

describe('recent answers', () => {
  it('gives back the answer kept for a stored command, byte for byte', () => {
    const recent = rememberAnswer(undefined, 1_000, answer(1));
    expect(recallAnswer(recent, requestIdOf(1), 1_000)).toEqual(answer(1));
    expect(ServiceResponse.encode(recallAnswer(recent, requestIdOf(1), 1_000)!).finish()).toEqual(
      ServiceResponse.encode(answer(1)).finish(),
    );
  });

  it('tells a replay of the RequestID (another acceptance), or another RequestID, from a redelivery', () => {
    const recent = rememberAnswer(undefined, 1_000, answer(1));
    expect(recallAnswer(recent, requestIdOf(1), 2_000)).toBeUndefined();
    // Accepted in the same millisecond, another command.
    expect(recallAnswer(recent, requestIdOf(2), 1_000)).toBeUndefined();
    // An instant that only starts like the kept one.
    expect(recallAnswer(recent, requestIdOf(1), 100)).toBeUndefined();
    expect(recallAnswer(undefined, requestIdOf(1), 1_000)).toBeUndefined();
  });

  it('keeps the last eight answers, each list at its exact length', () => {
    let recent;
    for (let n = 1; n <= 10; n++) recent = rememberAnswer(recent, n, answer(n));
    expect(recent).toHaveLength(8);
    expect(recallAnswer(recent, requestIdOf(2), 2)).toBeUndefined();
    expect(recallAnswer(recent, requestIdOf(3), 3)).toEqual(answer(3));
    expect(recallAnswer(recent, requestIdOf(10), 10)).toEqual(answer(10));
  });
});
