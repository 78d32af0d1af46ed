import { jetstreamManager, type ConsumerInfo } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { metrics, type BatchObservableResult, type Observable } from '@opentelemetry/api';

/**
 * Consumer lag read from the server at each metrics collection: `dcc.jetstream.consumer.pending` (stored, not
 * yet delivered) and `dcc.jetstream.consumer.ack_pending` (delivered, not yet acknowledged), labelled by stream
 * and consumer. A consumer the server does not answer for (bus down, not created yet) reports nothing rather than
 * a stale figure. Each function returns its unregistration.
 */
function observeLag(nc: NatsConnection, read: () => Promise<ConsumerInfo[]>): () => void {
  const meter = metrics.getMeter('@dcc/bus');
  const pending = meter.createObservableGauge('dcc.jetstream.consumer.pending', {
    description: 'Messages stored for the consumer and not yet delivered to it',
  });
  const ackPending = meter.createObservableGauge('dcc.jetstream.consumer.ack_pending', {
    description: 'Messages delivered to the consumer and not yet acknowledged',
  });
  const instruments: Observable[] = [pending, ackPending];
  const observe = async (observer: BatchObservableResult) => {
    if (nc.isClosed()) return;
    try {
      for (const info of await read()) {
        const attributes = { 'dcc.stream': info.stream_name, 'dcc.consumer': info.name };
        observer.observe(pending, info.num_pending, attributes);
        observer.observe(ackPending, info.num_ack_pending, attributes);
      }
    } catch {
      // no figure this time: the next collection asks again
    }
  };
  meter.addBatchObservableCallback(observe, instruments);
  return () => meter.removeBatchObservableCallback(observe, instruments);
}

/** One durable consumer's lag (e.g. an adapter instance's METER_MAIL consumer). */
export function observeConsumerLag(nc: NatsConnection, stream: string, consumer: () => string): () => void {
  return observeLag(nc, async () => [await (await jetstreamManager(nc)).consumers.info(stream, consumer())]);
}

/**
 * The lag of every consumer of a stream (e.g. each User's on RESPONSES: responses a User has not read yet), one
 * consumer listing per collection.
 */
export function observeStreamConsumersLag(nc: NatsConnection, stream: string): () => void {
  return observeLag(nc, async () => {
    const found: ConsumerInfo[] = [];
    for await (const info of (await jetstreamManager(nc)).consumers.list(stream)) found.push(info);
    return found;
  });
}
