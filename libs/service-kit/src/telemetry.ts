import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';

export interface Telemetry {
  shutdown(): Promise<void>;
}

let installed: Telemetry | undefined;

/**
 * Installs the process-wide OpenTelemetry providers once: W3C trace context propagation, async context
 * tracking, and, when an OTLP endpoint is configured, trace and metric export. Several services started in
 * one process (tests, the local default) share the first installation.
 */
export function installTelemetry(options: {
  serviceName: string;
  otlpEndpoint?: string | undefined;
  spanProcessors?: SpanProcessor[];
}): Telemetry {
  if (installed) return installed;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const resource = resourceFromAttributes({ 'service.name': options.serviceName });
  const processors = [...(options.spanProcessors ?? [])];
  let meterProvider: MeterProvider | undefined;
  if (options.otlpEndpoint) {
    const base = options.otlpEndpoint.replace(/\/$/, '');
    processors.push(new BatchSpanProcessor(new OTLPTraceExporter({ url: `${base}/v1/traces` })));
    meterProvider = new MeterProvider({
      resource,
      readers: [
        new PeriodicExportingMetricReader({
          exporter: new OTLPMetricExporter({ url: `${base}/v1/metrics` }),
        }),
      ],
    });
    metrics.setGlobalMeterProvider(meterProvider);
  }
  const tracerProvider = new BasicTracerProvider({ resource, spanProcessors: processors });
  trace.setGlobalTracerProvider(tracerProvider);
  installed = {
    async shutdown() {
      await Promise.all([tracerProvider.shutdown(), meterProvider?.shutdown()]);
    },
  };
  return installed;
}
