import { ServiceRequest } from '@dcc/proto';
import { startNatsServer, type NatsServer } from '@dcc/testkit';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, headers as createHeaders, type NatsConnection } from '@nats-io/transport-node';
import { context, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DurablePublisher,
  ensureStream,
  extractTraceContext,
  inSpan,
  Requester,
  requestTyped,
  SpanKind,
} from '../src/index.js';

// As a service without tracing configured: the W3C propagator, no tracer provider and no context manager.
let server: NatsServer;
let nc: NatsConnection;
let requester: Requester;

beforeAll(async () => {
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  server = await startNatsServer();
  nc = await connect({ servers: server.url });
  requester = new Requester(nc, { timeoutMs: 2_000 });
  await ensureStream(nc, { name: 'TRACE_TEST', subjects: ['trace.test.>'] });
});

afterAll(async () => {
  requester.close();
  await nc.close();
  await server.stop();
});

describe('trace forwarding without a context manager', () => {
  it('forwards the incoming traceparent on what is published after awaits, passed explicitly', async () => {
    const incoming = createHeaders();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    incoming.set('traceparent', `00-${traceId}-00f067aa0ba902b7-01`);
    const publisher = new DurablePublisher(requester);
    const ack = await inSpan(
      'consume',
      SpanKind.CONSUMER,
      extractTraceContext(incoming),
      {},
      async (_s, within) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        // Across the await the active context is lost without a context manager; the explicit one is not.
        expect(trace.getSpanContext(context.active())).toBeUndefined();
        expect(context.active()).toBe(ROOT_CONTEXT);
        return publisher.publish('trace.test.1', ServiceRequest, sampleRequest(), undefined, within);
      },
    );
    const stored = await (await jetstreamManager(nc)).streams.getMessage('TRACE_TEST', { seq: ack.seq });
    expect(stored?.header.get('traceparent')).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
  });

  it('forwards the incoming traceparent unchanged through nested spans when nothing is recorded', async () => {
    const incoming = createHeaders();
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    incoming.set('traceparent', traceparent);
    const publisher = new DurablePublisher(requester);
    const ack = await inSpan('outer', SpanKind.CONSUMER, extractTraceContext(incoming), {}, (_s, within) =>
      inSpan('inner', SpanKind.INTERNAL, within, {}, (_i, inner) =>
        publisher.publish('trace.test.2', ServiceRequest, sampleRequest(), undefined, inner),
      ),
    );
    const stored = await (await jetstreamManager(nc)).streams.getMessage('TRACE_TEST', { seq: ack.seq });
    expect(stored?.header.get('traceparent')).toBe(traceparent);
  });

  it('forwards no traceparent when none came in, and rejects with what the work threw', async () => {
    const publisher = new DurablePublisher(requester);
    const ack = await inSpan('outer', SpanKind.CONSUMER, ROOT_CONTEXT, {}, (_s, within) =>
      publisher.publish('trace.test.3', ServiceRequest, sampleRequest(), undefined, within),
    );
    const stored = await (await jetstreamManager(nc)).streams.getMessage('TRACE_TEST', { seq: ack.seq });
    expect(stored?.header.has('traceparent')).toBe(false);
    const failure = new Error('refused');
    await expect(
      inSpan('failing', SpanKind.INTERNAL, ROOT_CONTEXT, {}, () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
  });
});

describe('typed requests', () => {
  it('carry the incoming traceparent, and no header block at all when there is no trace', async () => {
    const seen: (string | undefined)[] = [];
    const echo = nc.subscribe('trace.request', {
      callback: (_err, msg) => {
        seen.push(msg.headers ? (msg.headers.get('traceparent') ?? '') : undefined);
        msg.respond(msg.data);
      },
    });
    const ask = (parent: typeof ROOT_CONTEXT) =>
      requestTyped(
        requester,
        'trace.request',
        { codec: ServiceRequest, message: sampleRequest() },
        ServiceRequest,
        2_000,
        parent,
      );
    const incoming = createHeaders();
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    incoming.set('traceparent', traceparent);
    await ask(extractTraceContext(incoming));
    await ask(ROOT_CONTEXT);
    echo.unsubscribe();
    expect(seen).toEqual([traceparent, undefined]);
  });
});

function sampleRequest(): ServiceRequest {
  return {
    requestId: '90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:1',
    commandVariant: 1,
    serviceReferenceVariant: '4.1.1',
    userRole: 1,
    body: undefined,
  };
}
