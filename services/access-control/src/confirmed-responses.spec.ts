import type { ConsumerInfo } from '@nats-io/jetstream';
import { describe, expect, it } from 'vitest';
import { covers, removals } from './confirmed-responses.js';

const A = '90-B3-D5-1F-30-01-00-00';
const B = '90-B3-D5-1F-30-02-00-00';

/** A consumer as JetStream reports it: its name, filters and acknowledgement floor. */
const consumer = (name: string, floor: number, filter?: string | string[]) =>
  ({
    name,
    config: Array.isArray(filter) ? { filter_subjects: filter } : { filter_subject: filter },
    ack_floor: { stream_seq: floor, consumer_seq: floor },
  }) as unknown as ConsumerInfo;

describe('confirmed responses', () => {
  it('matches NATS subject filters', () => {
    expect(covers('dcc.resp.>', `dcc.resp.${A}`)).toBe(true);
    expect(covers(`dcc.resp.${A}`, `dcc.resp.${A}`)).toBe(true);
    expect(covers('dcc.resp.*', `dcc.resp.${A}`)).toBe(true);
    expect(covers('>', `dcc.resp.${A}`)).toBe(true);
    expect(covers(`dcc.resp.${B}`, `dcc.resp.${A}`)).toBe(false);
    expect(covers('dcc.resp', `dcc.resp.${A}`)).toBe(false);
    expect(covers('dcc.resp.*.x', `dcc.resp.${A}`)).toBe(false);
  });

  it("removes up to the lowest floor of the User's consumer and every other reader of its subject", () => {
    const plan = removals([
      consumer(`responses-${A}`, 40, `dcc.resp.${A}`),
      consumer(`responses-${B}`, 90, `dcc.resp.${B}`),
      consumer('reporting-responses', 70, 'dcc.resp.>'),
      consumer(`prepayment-outcomes-${A}`, 25, `dcc.resp.${A}`),
    ]);
    expect(plan).toEqual([
      { userId: A, subject: `dcc.resp.${A}`, before: 26 }, // prepayment has read A's up to 25
      { userId: B, subject: `dcc.resp.${B}`, before: 71 }, // reporting has counted up to 70
    ]);
  });

  it('removes nothing of a User without a consumer, or with nothing confirmed', () => {
    expect(removals([consumer('reporting-responses', 70, 'dcc.resp.>')])).toEqual([]);
    expect(removals([consumer(`responses-${A}`, 0, `dcc.resp.${A}`)])).toEqual([]);
    // A required reader (the reporting tally) that does not exist yet holds everything back.
    const user = consumer(`responses-${A}`, 40, `dcc.resp.${A}`);
    expect(removals([user], ['reporting-responses'])).toEqual([]);
    expect(
      removals([user, consumer('reporting-responses', 70, 'dcc.resp.>')], ['reporting-responses']),
    ).toEqual([{ userId: A, subject: `dcc.resp.${A}`, before: 41 }]);
    // A reader of every subject that has read nothing holds everything back.
    expect(
      removals([consumer(`responses-${A}`, 40, `dcc.resp.${A}`), consumer('audit', 0, ['dcc.resp.*'])]),
    ).toEqual([]);
  });
});
