import { metrics } from '@opentelemetry/api';
import { COHORTS } from './cohort.js';
import type { Dco } from './dco.js';
import type { HalfHourlyCache } from './half-hourly-cache.js';
import type { S1ServiceProviders } from './s1-service-providers.js';

/**
 * Each SMETS1 cohort's load at each metrics collection, the figures GetSmets1Status gives an operator: commands
 * waiting in the cohort's DCO lane (one at a time, so this is where a cohort backs up) and commands with its S1
 * service provider; and the half-hourly cache's size. Returns the unregistration (the adapter's drain).
 */
export function observeCohorts(dco: Dco, providers: S1ServiceProviders, cache: HalfHourlyCache): () => void {
  const meter = metrics.getMeter('@dcc/smets1-adapter');
  const queued = meter.createObservableGauge('dcc.smets1.dco.queue.depth', {
    description: "SMETS1 commands waiting in their cohort's DCO lane",
  });
  const inFlight = meter.createObservableGauge('dcc.smets1.s1sp.in_flight', {
    description: "SMETS1 commands with their cohort's S1 service provider",
  });
  const entries = meter.createObservableGauge('dcc.smets1.hh_cache.entries', {
    description: 'Half-hourly profiles held by the cache',
  });
  const observe = (observer: Parameters<Parameters<typeof meter.addBatchObservableCallback>[0]>[0]) => {
    for (const cohort of COHORTS) {
      const attributes = { 'dcc.smets1_cohort': cohort };
      observer.observe(queued, dco.queueDepth(cohort), attributes);
      observer.observe(inFlight, providers.stats[cohort].inFlight, attributes);
    }
    observer.observe(entries, cache.size);
  };
  meter.addBatchObservableCallback(observe, [queued, inFlight, entries]);
  return () => meter.removeBatchObservableCallback(observe, [queued, inFlight, entries]);
}
