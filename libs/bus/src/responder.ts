import { DccError } from '@dcc/domain';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { decode, encode, type Codec } from './codec.js';
import { errorHeaders } from './error-headers.js';
import { outboundOf, type OutboundBatch } from './outbound-batch.js';
import { extractTraceContext } from './trace-headers.js';
import { inSpan, SpanKind } from './tracing.js';

export interface ResponderOptions<Req, Res> {
  subject: string;
  /** Instances in the same queue group share the load. */
  queue?: string;
  request: Codec<Req>;
  response: Codec<Res>;
  handle(request: Req, msg: Msg): Promise<Res> | Res;
}

/** A NATS request/reply endpoint: decodes, runs the handler in the caller's trace, replies or replies an error. */
export class Responder<Req, Res> {
  private readonly subscription: Subscription;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly outbound: OutboundBatch;

  constructor(
    private readonly nc: NatsConnection,
    private readonly options: ResponderOptions<Req, Res>,
  ) {
    this.outbound = outboundOf(nc);
    this.subscription = nc.subscribe(options.subject, {
      ...(options.queue ? { queue: options.queue } : {}),
      callback: (_err, msg) => this.track(this.onMessage(msg)),
    });
  }

  /** Stops taking requests and waits for the ones in progress to be answered. */
  async drain(): Promise<void> {
    await this.subscription.drain();
    await Promise.all(this.inFlight);
    this.outbound.flush();
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async onMessage(msg: Msg): Promise<void> {
    const { subject, request, response, handle } = this.options;
    try {
      const reply = await inSpan(
        `${subject} process`,
        SpanKind.SERVER,
        extractTraceContext(msg.headers),
        {
          'messaging.system': 'nats',
          'messaging.destination.name': msg.subject,
        },
        async () => encode(response, await handle(decode(request, msg.data, `request on ${subject}`), msg)),
      );
      if (msg.reply) this.outbound.run(() => this.nc.publish(msg.reply!, reply));
    } catch (error) {
      if (msg.reply) {
        const failed = errorHeaders(DccError.from(error));
        this.outbound.run(() => this.nc.publish(msg.reply!, new Uint8Array(0), { headers: failed }));
      }
    }
  }
}
