import type { MsgHdrs } from '@nats-io/transport-node';

/**
 * Header of a Service Response on RESPONSES: when access control accepted the request it answers (ms since the
 * epoch; a DCC schedule's run: when access control took the run in, as it fell due). The reporting service measures the response's Target Response
 * Time from it to the instant the stream stored the response. An alert routed to a User carries none: it answers
 * no request.
 */
const ACCEPTED_AT = 'Dcc-Accepted-At';

/** The extra headers (DurablePublisher.publish) of a response to a request accepted at `acceptedAtMs`. */
export function acceptedAtHeaders(acceptedAtMs: number): Readonly<Record<string, string>> {
  return { [ACCEPTED_AT]: String(acceptedAtMs) };
}

/** When the request a stored response answers was accepted; undefined for anything else (an alert). */
export function acceptedAtOf(h: MsgHdrs | undefined): number | undefined {
  if (!h?.has(ACCEPTED_AT)) return undefined;
  const ms = Number(h.get(ACCEPTED_AT));
  return Number.isSafeInteger(ms) && ms > 0 ? ms : undefined;
}
