import { acceptedAtOf, decode } from '@dcc/bus';
import { calendarMonthOf, performanceMeasureOf, withinTrt } from '@dcc/domain';
import { RequestAccounted, ServiceResponse } from '@dcc/proto';
import type { MsgHdrs } from '@nats-io/transport-node';
import type { DecisionFact, ResponseFact } from './tally.js';

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

/** Access control's record of a decision (ACCOUNTING), counted in the month it was decided. */
export function decisionFact(message: StoredMessage): DecisionFact {
  const record = decode(RequestAccounted, message.data, 'accounting record');
  return {
    kind: 'decision',
    seq: message.seq,
    month: calendarMonthOf(record.decidedAtMs),
    user: record.userId,
    srv: srvOf(record.serviceReferenceVariant),
    outcome: OUTCOME.test(record.outcome) ? record.outcome : 'other',
  };
}

/**
 * A Service Response stored on a User's Responses stream (`dcc.resp.<userId>`), counted in the month it was
 * delivered, within its Target Response Time when the stream stored it in time after the request's acceptance.
 * Undefined for what answers no request (an alert routed to the User carries no acceptance instant).
 */
export function responseFact(message: StoredMessage): ResponseFact | undefined {
  const acceptedAtMs = acceptedAtOf(message.headers);
  if (acceptedAtMs === undefined) return undefined;
  const response = decode(ServiceResponse, message.data, 'service response');
  const measure = performanceMeasureOf(response);
  return {
    kind: 'response',
    seq: message.seq,
    month: calendarMonthOf(message.storedAtMs),
    user: message.subject.slice(message.subject.lastIndexOf('.') + 1),
    srv: srvOf(response.serviceReferenceVariant),
    measure,
    withinTrt: withinTrt(measure, message.storedAtMs - acceptedAtMs),
  };
}
