import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { metrics } from '@opentelemetry/api';

/**
 * Reports a durable consumer's lag at each metrics collection, read from the server (consumer info):
 * `dcc.jetstream.consumer.pending` (stored, not yet delivered) and `dcc.jetstream.consumer.ack_pending`
 * (delivered, not yet acknowledged), labelled by stream and consumer. A consumer the server does not answer for
 * (bus down, consumer not created yet) reports nothing rather than a stale figure. Returns the unregistration.
 */
export function observeConsumerLag(nc: NatsConnection, stream: string, consumer: () => string): () => void {
  const meter = metrics.getMeter('@dcc/bus');
  const pending = meter.createObservableGauge('dcc.jetstream.consumer.pending', {
    description: 'Messages stored for the consumer and not yet delivered to it',
  });
  const ackPending = meter.createObservableGauge('dcc.jetstream.consumer.ack_pending', {
    description: 'Messages delivered to the consumer and not yet acknowledged',
  });
  const observe = async (observer: Parameters<Parameters<typeof meter.addBatchObservableCallback>[0]>[0]) => {
    if (nc.isClosed()) return;
    try {
      const info = await (await jetstreamManager(nc)).consumers.info(stream, consumer());
      const attributes = { 'dcc.stream': stream, 'dcc.consumer': info.name };
      observer.observe(pending, info.num_pending, attributes);
      observer.observe(ackPending, info.num_ack_pending, attributes);
    } catch {
      // no figure this time: the next collection asks again
    }
  };
  meter.addBatchObservableCallback(observe, [pending, ackPending]);
  return () => meter.removeBatchObservableCallback(observe, [pending, ackPending]);
}
