import type { ActorRuntime } from '@dcc/actors';
import { observeConsumerLag, streams, type MeterPath } from '@dcc/bus';
import type { NatsConnection } from '@nats-io/transport-node';
import { metrics } from '@opentelemetry/api';

/**
 * What an adapter's actor runtime reports at each metrics collection: actors in memory, activations and
 * passivations since start (their rates show churn: an idle timeout or active limit set too low), and the lag of
 * the instance's METER_MAIL consumer. Returns the unregistration, for the runtime's stop.
 */
export function observeDeliveryRuntime<S>(nc: NatsConnection, path: MeterPath, runtime: ActorRuntime<S>) {
  const meter = metrics.getMeter('@dcc/meter-delivery');
  const attributes = { 'dcc.meter.path': path };
  const active = meter.createObservableGauge('dcc.meter.actors.active', {
    description: 'Meter actors in memory',
  });
  const activations = meter.createObservableCounter('dcc.meter.actors.activations', {
    description: 'Meter actors activated (state loaded) since start',
  });
  const passivations = meter.createObservableCounter('dcc.meter.actors.passivations', {
    description: 'Meter actors passivated (dropped from memory) since start',
  });
  const observe = (observer: Parameters<Parameters<typeof meter.addBatchObservableCallback>[0]>[0]) => {
    observer.observe(active, runtime.activeCount, attributes);
    observer.observe(activations, runtime.stats.activations, attributes);
    observer.observe(passivations, runtime.stats.passivations, attributes);
  };
  const instruments = [active, activations, passivations];
  meter.addBatchObservableCallback(observe, instruments);
  const stopLag = observeConsumerLag(nc, streams.meterMail.name, () => runtime.consumerName);
  return () => {
    meter.removeBatchObservableCallback(observe, instruments);
    stopLag();
  };
}
