import {
  jetstreamManager,
  type JetStreamManager,
  type StreamConfig,
  type StreamInfo,
} from '@nats-io/jetstream';
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

/** The stream's info, or undefined when there is no such stream. */
export async function findStream(jsm: JetStreamManager, name: string): Promise<StreamInfo | undefined> {
  try {
    return await jsm.streams.info(name);
  } catch (error) {
    if (isStreamNotFound(error)) return undefined;
    throw error;
  }
}

function isStreamNotFound(error: unknown): boolean {
  return error instanceof Error && /stream not found/i.test(error.message);
}
