import { metrics } from '@opentelemetry/api';
import type { Pacer } from './pacer.js';

/**
 * The collection plan per lane at each metrics collection: runs waiting, the release rate chosen, and the
 * runs at risk (the warning: more waiting than the lane can release before the window ends). Returns the
 * unregistration (the service's drain).
 */
export function observePlan(pacer: Pacer): () => void {
  const meter = metrics.getMeter('@dcc/scheduling');
  const waiting = meter.createObservableGauge('dcc.schedule.plan.waiting', {
    description: 'Runs of DCC schedules that fell due and wait for their capacity lane',
  });
  const rate = meter.createObservableGauge('dcc.schedule.plan.rate', {
    description: "The lane's release rate at the last tick, runs per second",
  });
  const atRisk = meter.createObservableGauge('dcc.schedule.plan.at_risk', {
    description: "Waiting runs the lane's capacity cannot release before the collection window ends",
  });
  const observe = (observer: Parameters<Parameters<typeof meter.addBatchObservableCallback>[0]>[0]) => {
    for (const lane of pacer.status().lanes) {
      const attributes = { 'dcc.plan_lane': lane.lane };
      observer.observe(waiting, lane.waiting, attributes);
      observer.observe(rate, lane.ratePerS, attributes);
      observer.observe(atRisk, lane.atRisk, attributes);
    }
  };
  meter.addBatchObservableCallback(observe, [waiting, rate, atRisk]);
  return () => meter.removeBatchObservableCallback(observe, [waiting, rate, atRisk]);
}
