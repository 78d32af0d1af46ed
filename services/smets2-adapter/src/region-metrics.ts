import { metrics } from '@opentelemetry/api';
import { REGIONS } from './csp-region.js';
import type { CspWan } from './csp-wan.js';

/**
 * Each CSP region's load at each metrics collection, the figures GetRegionStatus gives an operator: commands
 * queued for the region's concurrency budget, commands on its WAN, and whether it is in service. Returns the
 * unregistration (the adapter's drain).
 */
export function observeRegions(wan: CspWan): () => void {
  const meter = metrics.getMeter('@dcc/smets2-adapter');
  const queued = meter.createObservableGauge('dcc.csp.queue.depth', {
    description: "SMETS2 commands waiting for their CSP region's concurrency budget",
  });
  const inFlight = meter.createObservableGauge('dcc.csp.in_flight', {
    description: "SMETS2 commands on their CSP region's WAN",
  });
  const inService = meter.createObservableGauge('dcc.csp.in_service', {
    description: '1 while the CSP region is in service, 0 while an operator holds it out of service',
  });
  const observe = (observer: Parameters<Parameters<typeof meter.addBatchObservableCallback>[0]>[0]) => {
    for (const region of REGIONS) {
      const attributes = { 'dcc.csp_region': region };
      observer.observe(queued, wan.stats[region].queued, attributes);
      observer.observe(inFlight, wan.stats[region].inFlight, attributes);
      observer.observe(inService, wan.inService(region) ? 1 : 0, attributes);
    }
  };
  meter.addBatchObservableCallback(observe, [queued, inFlight, inService]);
  return () => meter.removeBatchObservableCallback(observe, [queued, inFlight, inService]);
}
