import { DccError, GrpcStatus } from '@dcc/domain';
import { headers as createHeaders } from '@nats-io/transport-node';
import { context, type Context } from '@opentelemetry/api';
import { encode, type Codec } from './codec.js';
import type { Requester } from './requester.js';
import { injectTraceContext } from './trace-headers.js';
import { inSpan, SpanKind } from './tracing.js';

export interface PubAck {
  stream: string;
  seq: number;
  /** The stream already held a message with this message id (inside its duplicate window). */
  duplicate: boolean;
}

const decoder = new TextDecoder();

/**
 * Publishes to a JetStream stream and resolves once the server has stored the message. Goes through the
 * shared Requester instead of the JetStream client's publish so the hot path keeps one reply subscription.
 */
export class DurablePublisher {
  constructor(private readonly requester: Requester) {}

  /**
   * `parent`: the trace this message continues (by default the active context; see tracing.ts). `extraHeaders`:
   * headers the consumer reads besides the message (e.g. what kind of mail it is).
   */
  publish<T>(
    subject: string,
    codec: Codec<T>,
    message: T,
    messageId?: string,
    parent: Context = context.active(),
    extraHeaders: Readonly<Record<string, string>> = {},
  ): Promise<PubAck> {
    // Span names stay low-cardinality: the stream's subject prefix, never a device or User id.
    return inSpan(
      `${subject.split('.', 2).join('.')} publish`,
      SpanKind.PRODUCER,
      parent,
      {
        'messaging.system': 'nats',
        'messaging.destination.name': subject,
      },
      async (_span, within) => {
        const h = createHeaders();
        if (messageId) h.set('Nats-Msg-Id', messageId);
        for (const [name, value] of Object.entries(extraHeaders)) h.set(name, value);
        injectTraceContext(h, within);
        const reply = await this.requester.request(subject, encode(codec, message), h);
        return parsePubAck(reply.data, subject);
      },
    );
  }
}

/** The server's answer to a publish on a stream: what it stored, or a DccError (UNAVAILABLE) for a refusal. */
export function parsePubAck(data: Uint8Array, subject: string): PubAck {
  const ack = JSON.parse(decoder.decode(data)) as Partial<PubAck> & {
    error?: { code: number; description: string };
  };
  if (ack.error) {
    throw new DccError(
      GrpcStatus.UNAVAILABLE,
      `stream refused ${subject}: ${ack.error.description} (${ack.error.code})`,
    );
  }
  if (typeof ack.stream !== 'string' || typeof ack.seq !== 'number') {
    throw DccError.unavailable(`no stream stored ${subject}`);
  }
  return { stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate === true };
}
