import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { headers as createHeaders } from '@nats-io/transport-node';
import { decode, encode, type Codec } from './codec.js';
import { extractTraceContext, injectTraceContext } from './trace-headers.js';
import { inSpan, SpanKind } from './tracing.js';

/** Publishes a typed event (core NATS, at most once) carrying the current trace. */
export function publishEvent<T>(nc: NatsConnection, subject: string, codec: Codec<T>, event: T): void {
  const h = createHeaders();
  injectTraceContext(h);
  nc.publish(subject, encode(codec, event), { headers: h });
}

export interface EventSubscriptionOptions<T> {
  subject: string;
  codec: Codec<T>;
  /** Instances in one queue group share the events; without it every instance gets every event. */
  queue?: string;
  handle(event: T, subject: string): Promise<void> | void;
  /** Events that cannot be decoded or handled; they are not redelivered (core NATS). */
  onError(error: unknown, subject: string): void;
}

/** Subscribes to typed events; each is handled inside a CONSUMER span that continues the publisher's trace. */
export function subscribeEvents<T>(nc: NatsConnection, options: EventSubscriptionOptions<T>): Subscription {
  const { subject, codec, queue, handle, onError } = options;
  return nc.subscribe(subject, {
    ...(queue ? { queue } : {}),
    callback: (_err, msg) => {
      inSpan(
        `${subject} receive`,
        SpanKind.CONSUMER,
        extractTraceContext(msg.headers),
        {
          'messaging.system': 'nats',
          'messaging.destination.name': msg.subject,
        },
        () => handle(decode(codec, msg.data, `event on ${msg.subject}`), msg.subject),
      ).catch((error: unknown) => onError(error, msg.subject));
    },
  });
}
