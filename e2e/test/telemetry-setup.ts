import { installTelemetry } from '@dcc/service-kit';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

/** Spans of every service in this test process, kept in memory so tests can inspect whole traces. */
export const spans = new InMemorySpanExporter();
installTelemetry({ serviceName: 'e2e', spanProcessors: [new SimpleSpanProcessor(spans)] });
