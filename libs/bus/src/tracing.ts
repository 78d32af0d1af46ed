import {
  context,
  isSpanContextValid,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';

/**
 * One tracer for the module: `trace.getTracer` builds a new proxy per call while no provider is registered, and
 * this proxy still picks up a provider registered later (it resolves its delegate until it finds one).
 */
const tracer: Tracer = trace.getTracer('@dcc/bus');

/**
 * Runs `work` inside a new span; records a thrown error on the span and rethrows it. `work` gets the span's
 * context too: the active context follows awaits only while a context manager is installed (tracing configured,
 * service-kit telemetry.ts), so code that forwards the trace (a publish, a request) passes this one explicitly.
 * Without a tracer provider the span records nothing but carries the parent's trace and span ids, so the
 * traceparent forwarded is the one that came in.
 */
export async function inSpan<T>(
  name: string,
  kind: SpanKind,
  parent: Context,
  attributes: Record<string, string | number>,
  work: (span: Span, within: Context) => Promise<T> | T,
): Promise<T> {
  const span = tracer.startSpan(name, { kind, attributes }, parent);
  if (!span.isRecording() && forwardsAsParent(span, parent)) {
    // Nothing is recorded and a context holding this span would forward exactly what `parent` forwards (the API's
    // non-recording tracer: the parent's own ids, or none): the per-call context and its activation are skipped,
    // garbage made on every publish and request of the request path otherwise.
    return work(span, parent);
  }
  try {
    const within = trace.setSpan(parent, span);
    return await context.with(within, () => work(span, within));
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
    throw error;
  } finally {
    span.end();
  }
}

/** The span carries the parent's own span context, or neither carries a valid one (nothing to forward). */
function forwardsAsParent(span: Span, parent: Context): boolean {
  const own = span.spanContext();
  const inherited = trace.getSpanContext(parent);
  if (own === inherited) return true;
  return !isSpanContextValid(own) && (inherited === undefined || !isSpanContextValid(inherited));
}

export { SpanKind };
