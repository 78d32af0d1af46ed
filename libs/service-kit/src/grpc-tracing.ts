import { inSpan, SpanKind } from '@dcc/bus';
import type { Metadata } from '@grpc/grpc-js';
import { context, propagation, type Context, type Span, type TextMapGetter } from '@opentelemetry/api';

const metadataGetter: TextMapGetter<Metadata> = {
  keys: (carrier) => Object.keys(carrier.getMap()),
  get: (carrier, key) => {
    const values = carrier.get(key).filter((v): v is string => typeof v === 'string');
    return values.length > 0 ? values : undefined;
  },
};

/** Runs a gRPC handler's work in a SERVER span, continuing the caller's trace when it sent a traceparent. */
export function inServerSpan<T>(
  method: string,
  metadata: Metadata,
  work: (span: Span, within: Context) => Promise<T> | T,
): Promise<T> {
  const parent = propagation.extract(context.active(), metadata, metadataGetter);
  return inSpan(method, SpanKind.SERVER, parent, { 'rpc.system': 'grpc', 'rpc.method': method }, work);
}
