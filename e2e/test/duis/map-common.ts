import type { ServiceRequest } from '@dcc/proto';
import { Unexpressible, type BodyReader } from './body-reader.js';

/** ServiceRequest.body: the gRPC form of a DUIS body. */
export type RequestBody = ServiceRequest['body'];

/** Maps one SRV's DUIS body onto its gRPC body, reading every field it carries over. */
export type SampleMapper = (body: BodyReader) => RequestBody;

/** DUIS date-times are ISO-8601 UTC ("2014-03-27T15:45:32.00Z"); the API carries UTC milliseconds. */
export function dateTimeMs(text: string): number {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new Unexpressible(`"${text}" is not a date-time`);
  return ms;
}

/** A DUIS ReadLogPeriod (StartDateTime, EndDateTime) as the API's ReadLogPeriod. */
export function readLogPeriod(body: BodyReader) {
  const period = body.child('ReadLogPeriod');
  return { startMs: dateTimeMs(period.text('StartDateTime')), endMs: dateTimeMs(period.text('EndDateTime')) };
}

/** Device future-dating: DUIS ExecutionDateTime as execution_date_time_ms, when the sample has one. */
export function executionDateTime(body: BodyReader): { executionDateTimeMs?: number } {
  const text = body.optionalText('ExecutionDateTime');
  return text === undefined ? {} : { executionDateTimeMs: dateTimeMs(text) };
}

/**
 * An SRV whose gRPC body takes no fields: the DUIS element is empty (`<sr:ReadMeterBalance/>`); anything in it
 * (e.g. a DSP ExecutionDateTime) stays unread.
 */
export const empty =
  <C extends string>($case: C): SampleMapper =>
  (body) => {
    if (body.names().length === 0) body.value();
    return { $case, value: {} } as RequestBody;
  };
