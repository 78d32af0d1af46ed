import { headers as createHeaders } from '@nats-io/transport-node';
import { decode, encode, type Codec } from './codec.js';
import type { Requester } from './requester.js';
import { injectTraceContext } from './trace-headers.js';
import { inSpan, SpanKind } from './tracing.js';
import { context, type Context } from '@opentelemetry/api';

/** Typed request/reply: encodes, carries the trace, decodes the reply or throws the DccError it carried. */
export function requestTyped<Req, Res>(
  requester: Requester,
  subject: string,
  request: { codec: Codec<Req>; message: Req },
  response: Codec<Res>,
  timeoutMs?: number,
  /** The trace this request continues (by default the active context; see tracing.ts). */
  parent: Context = context.active(),
): Promise<Res> {
  return inSpan(
    `${subject} request`,
    SpanKind.CLIENT,
    parent,
    { 'messaging.system': 'nats' },
    async (_span, within) => {
      const h = createHeaders();
      injectTraceContext(h, within);
      // No trace to forward (tracing off): a plain message, without an empty header block to encode and parse.
      const carried = h.keys().length > 0 ? h : undefined;
      const reply = await requester.request(
        subject,
        encode(request.codec, request.message),
        carried,
        timeoutMs,
      );
      return decode(response, reply.data, `reply from ${subject}`);
    },
  );
}
