import { context, SpanKind, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';

const tracer = () => trace.getTracer('@dcc/bus');

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
  const span = tracer().startSpan(name, { kind, attributes }, parent);
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

export { SpanKind };
