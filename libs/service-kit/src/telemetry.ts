import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader, type MetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { MetricsEndpoint } from './metrics-endpoint.js';

export interface Telemetry {
  /** The Prometheus endpoint's reader, when one was asked for (`prometheus: true`); serve it with `listen`. */
  metricsEndpoint: MetricsEndpoint | undefined;
  shutdown(): Promise<void>;
}

let installed: Telemetry | undefined;

/**
 * Installs the process-wide OpenTelemetry providers once: W3C trace context propagation and, when an OTLP
 * endpoint (or a test's processors and readers) is configured, metric export, and trace export with async context
 * tracking; with `prometheus`, a Prometheus reader as well (metrics-endpoint.ts). Several services started in one process (tests, benchmarks) share the first installation.
 */
export function installTelemetry(options: {
  serviceName: string;
  otlpEndpoint?: string | undefined;
  spanProcessors?: SpanProcessor[];
  metricReaders?: MetricReader[];
  prometheus?: boolean;
}): Telemetry {
  if (installed) return installed;
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const resource = resourceFromAttributes({ 'service.name': options.serviceName });
  const processors = [...(options.spanProcessors ?? [])];
  const readers = [...(options.metricReaders ?? [])];
  if (options.otlpEndpoint) {
    const base = options.otlpEndpoint.replace(/\/$/, '');
    processors.push(new BatchSpanProcessor(new OTLPTraceExporter({ url: `${base}/v1/traces` })));
    readers.push(
      new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter({ url: `${base}/v1/metrics` }) }),
    );
  }
  const metricsEndpoint = options.prometheus ? new MetricsEndpoint() : undefined;
  if (metricsEndpoint) readers.push(metricsEndpoint.reader);
  let meterProvider: MeterProvider | undefined;
  if (readers.length > 0) {
    meterProvider = new MeterProvider({ resource, readers });
    metrics.setGlobalMeterProvider(meterProvider);
  }
  // Without an exporter, spans would be recorded for nobody: leave the API's non-recording tracer in place, which
  // still forwards an incoming traceparent on every hop (the hops pass their context explicitly: @dcc/bus
  // tracing.ts). Nor is the active context tracked across awaits then: on Node 20 that costs promise hooks on
  // every promise of every request (measured at ~6 % of a busy adapter's thread) for spans nobody records.
  const tracerProvider =
    processors.length > 0 ? new BasicTracerProvider({ resource, spanProcessors: processors }) : undefined;
  if (tracerProvider) {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    trace.setGlobalTracerProvider(tracerProvider);
  }
  installed = {
    metricsEndpoint,
    async shutdown() {
      await Promise.all([tracerProvider?.shutdown(), meterProvider?.shutdown(), metricsEndpoint?.close()]);
    },
  };
  return installed;
}

/** Flushes and stops exporters; a process calls it once, just before it exits. */
export async function shutdownTelemetry(): Promise<void> {
  await installed?.shutdown();
}
