import { jetstreamManager, type ConsumerConfig } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

/** Creates the durable consumer, or brings an existing one to this configuration. Safe to run at every start. */
export async function ensureConsumer(
  nc: NatsConnection,
  stream: string,
  config: Partial<ConsumerConfig>,
): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const name = config.durable_name!;
  try {
    await jsm.consumers.info(stream, name);
    await jsm.consumers.update(stream, name, config);
  } catch (error) {
    if (!(error instanceof Error && /consumer not found/i.test(error.message))) throw error;
    await jsm.consumers.add(stream, config);
  }
}
