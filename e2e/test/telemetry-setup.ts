import { installTelemetry } from '@dcc/service-kit';
import {
  InMemoryMetricExporter,
  AggregationTemporality,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

/** Spans and metrics of every service in this test process, kept in memory for tests to inspect. */
export const spans = new InMemorySpanExporter();
export const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
export const metricReader = new PeriodicExportingMetricReader({
  exporter: metricExporter,
  exportIntervalMillis: 3_600_000,
});
installTelemetry({
  serviceName: 'e2e',
  spanProcessors: [new SimpleSpanProcessor(spans)],
  metricReaders: [metricReader],
});

/** The latest cumulative value of a counter, summed over the data points whose attributes include `match`. */
export async function counterValue(name: string, match: Record<string, string> = {}): Promise<number> {
  await metricReader.forceFlush();
  const latest = metricExporter.getMetrics().at(-1);
  const metric = latest?.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === name);
  if (!metric) return 0;
  return metric.dataPoints
    .filter((p) => Object.entries(match).every(([k, v]) => p.attributes[k] === v))
    .reduce((sum, p) => sum + (p.value as number), 0);
}
