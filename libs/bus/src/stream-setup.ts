import { jetstreamManager, type StreamConfig } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { jetStreamReplicas } from './replicas.js';

/**
 * Creates the stream, or brings an existing one to this configuration. Safe to run at every start. Replicas are
 * the process's setting (replicas.ts) unless the configuration names its own.
 */
export async function ensureStream(
  nc: NatsConnection,
  stream: Partial<StreamConfig> & { name: string },
): Promise<void> {
  const config = { num_replicas: jetStreamReplicas(), ...stream };
  const jsm = await jetstreamManager(nc);
  try {
    await jsm.streams.info(config.name);
    await jsm.streams.update(config.name, config);
  } catch (error) {
    if (!isStreamNotFound(error)) throw error;
    await jsm.streams.add(config);
  }
}

function isStreamNotFound(error: unknown): boolean {
  return error instanceof Error && /stream not found/i.test(error.message);
}
