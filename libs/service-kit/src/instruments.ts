import { metrics, type Attributes, type MetricOptions } from '@opentelemetry/api';

/**
 * Metric instruments resolved on first use rather than at import time: the metrics API hands out no-op
 * instruments until a MeterProvider is installed, and modules are imported before startService installs it.
 */
export function lazyCounter(scope: string, name: string, options: MetricOptions) {
  let counter: ReturnType<ReturnType<typeof metrics.getMeter>['createCounter']> | undefined;
  return {
    add(value: number, attributes?: Attributes) {
      (counter ??= metrics.getMeter(scope).createCounter(name, options)).add(value, attributes);
    },
  };
}

export function lazyHistogram(scope: string, name: string, options: MetricOptions) {
  let histogram: ReturnType<ReturnType<typeof metrics.getMeter>['createHistogram']> | undefined;
  return {
    record(value: number, attributes?: Attributes) {
      (histogram ??= metrics.getMeter(scope).createHistogram(name, options)).record(value, attributes);
    },
  };
}
