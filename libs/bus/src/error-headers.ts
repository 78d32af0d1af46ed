import { DccError, RESPONSE_CODES, type GrpcStatusCode, type ResponseCode } from '@dcc/domain';
import { headers as createHeaders, type MsgHdrs } from '@nats-io/transport-node';

/** Header names that carry a DccError across a NATS reply. */
const STATUS = 'Dcc-Status';
const CODE = 'Dcc-Response-Code';
const MESSAGE = 'Dcc-Error';

export function errorHeaders(error: DccError): MsgHdrs {
  const h = createHeaders();
  h.set(STATUS, String(error.status));
  h.set(MESSAGE, error.message.replace(/[\r\n]+/g, ' '));
  if (error.responseCode) h.set(CODE, error.responseCode);
  return h;
}

/** The DccError a reply carries, if it carries one. */
export function errorFromHeaders(h: MsgHdrs | undefined): DccError | undefined {
  if (!h?.has(STATUS)) return undefined;
  const code = h.get(CODE);
  const responseCode = code in RESPONSE_CODES ? (code as ResponseCode) : undefined;
  return new DccError(Number(h.get(STATUS)) as GrpcStatusCode, h.get(MESSAGE), responseCode);
}
