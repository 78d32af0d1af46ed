import { acceptedAtOf, decode } from '@dcc/bus';
import { calendarMonthOf, performanceMeasureOf, withinTrt } from '@dcc/domain';
import { RequestAccounted, ServiceResponse } from '@dcc/proto';
import type { MsgHdrs } from '@nats-io/transport-node';
import type { DecisionFact, Fact, ResponseFact } from './tally.js';

/** What the facts are read from: one stored stream message. */
export interface StoredMessage {
  seq: number;
  subject: string;
  /** When the stream stored it (ms since the epoch): for a response, when it was delivered to its User. */
  storedAtMs: number;
  headers: MsgHdrs | undefined;
  data: Uint8Array;
}

/** An SRV as the catalogue writes them ("4.1.1"); anything else a caller typed is counted as "other". */
const SRV = /^\d{1,2}(\.\d{1,2}){1,2}$/;
/** A DUIS response code or "grpc-<status>". */
const OUTCOME = /^[A-Za-z0-9-]{1,16}$/;

const srvOf = (srv: string) => (SRV.test(srv) ? srv : 'other');

/** Access control's record of a refusal (ACCOUNTING), counted in the month it was decided. */
export function decisionFacts(message: StoredMessage): Fact[] {
  const record = decode(RequestAccounted, message.data, 'accounting record');
  return [
    {
      kind: 'decision',
      seq: message.seq,
      month: calendarMonthOf(record.decidedAtMs),
      user: record.userId,
      srv: srvOf(record.serviceReferenceVariant),
      outcome: OUTCOME.test(record.outcome) ? record.outcome : 'other',
    },
  ];
}

/**
 * A Service Response stored on a User's Responses stream (`dcc.resp.<userId>`): counted as delivered in the month
 * it was delivered, within its Target Response Time when the stream stored it in time after the request's
 * acceptance; and, unless it is a DCC schedule's run (charged as the 5.1 that created the schedule), as the
 * acceptance of its request in the month it was accepted. Every accepted request is answered exactly once, so
 * its answer is its acceptance's durable record: access control stores no record of its own for an acceptance
 * (that would be a second JetStream store on every request's path), and an acceptance is counted once answered.
 * None for what answers no request (an alert routed to the User carries no acceptance instant).
 */
export function responseFacts(message: StoredMessage): Fact[] {
  const acceptedAtMs = acceptedAtOf(message.headers);
  if (acceptedAtMs === undefined) return [];
  const response = decode(ServiceResponse, message.data, 'service response');
  const measure = performanceMeasureOf(response);
  const user = message.subject.slice(message.subject.lastIndexOf('.') + 1);
  const srv = srvOf(response.serviceReferenceVariant);
  const delivered: ResponseFact = {
    kind: 'response',
    seq: message.seq,
    month: calendarMonthOf(message.storedAtMs),
    user,
    srv,
    measure,
    withinTrt: withinTrt(measure, message.storedAtMs - acceptedAtMs),
  };
  if (response.dspScheduleId) return [delivered];
  // I99 and I0 (local delivery) are charged alike: both are "accepted".
  const accepted: DecisionFact = {
    kind: 'decision',
    seq: message.seq,
    month: calendarMonthOf(acceptedAtMs),
    user,
    srv,
    outcome: 'I99',
  };
  return [delivered, accepted];
}
