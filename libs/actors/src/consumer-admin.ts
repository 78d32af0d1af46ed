import {
  JetStreamApiError,
  jetstreamManager,
  type ConsumerConfig,
  type JetStreamManager,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

/** JetStream API error code "filtered consumer not unique on workqueue stream". */
const WQ_CONSUMER_NOT_UNIQUE = 10100;
/** JetStream API error code "consumer not found". */
const CONSUMER_NOT_FOUND = 10014;

function isApiError(error: unknown, code: number): boolean {
  return (
    error instanceof JetStreamApiError &&
    (error.code === code ||
      error.apiError().err_code === code ||
      (code === CONSUMER_NOT_FOUND && error.status === 404))
  );
}

export async function deleteConsumer(jsm: JetStreamManager, stream: string, name: string): Promise<boolean> {
  try {
    return await jsm.consumers.delete(stream, name);
  } catch (error) {
    if (!isApiError(error, CONSUMER_NOT_FOUND)) throw error;
    return false;
  }
}

/**
 * Deletes a consumer if it exists (e.g. a durable from before the runtime whose filter would overlap the
 * instances' consumers on a work-queue stream). Resolves true when one was deleted.
 */
export async function removeConsumer(nc: NatsConnection, stream: string, name: string): Promise<boolean> {
  return deleteConsumer(await jetstreamManager(nc), stream, name);
}

/** Waits (briefly) until the acks sent before the pause were processed, so the consumer's delete loses none. */
export async function settleAcks(jsm: JetStreamManager, stream: string, name: string): Promise<void> {
  let last = Infinity;
  for (let i = 0; i < 20; i++) {
    const info = await jsm.consumers.info(stream, name).catch(() => undefined);
    if (!info || info.num_ack_pending === 0 || info.num_ack_pending === last) return;
    last = info.num_ack_pending;
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Creates the instance's consumer. "Filtered consumer not unique" (a work-queue stream refuses overlapping
 * filters) means another consumer still filters a partition this instance now owns: the lease says its owner
 * stopped serving it, so a runtime consumer (`prefix-…`) is a dead or late owner's and is deleted (its
 * unacknowledged mail goes to the consumers filtering it now); any other overlapping consumer is a
 * configuration error and reported as such.
 */
export async function createConsumer(
  jsm: JetStreamManager,
  config: Partial<ConsumerConfig> & { stream: string },
  prefix: string,
  onTakeover: (name: string) => void,
): Promise<void> {
  const { stream, ...consumer } = config;
  const ours = consumer.filter_subjects ?? [];
  for (let attempt = 0; ; attempt++) {
    try {
      await jsm.consumers.add(stream, consumer);
      return;
    } catch (error) {
      if (!isApiError(error, WQ_CONSUMER_NOT_UNIQUE) || attempt >= 5) throw error;
    }
    for await (const info of await jsm.consumers.list(stream)) {
      if (info.name === consumer.durable_name) continue;
      const theirs =
        info.config.filter_subjects ?? (info.config.filter_subject ? [info.config.filter_subject] : []);
      if (theirs.length && !theirs.some((t) => ours.some((o) => subjectsCollide(o, t)))) continue;
      if (!info.name.startsWith(`${prefix}-`))
        throw new Error(
          `consumer ${info.name} of work-queue stream ${stream} filters [${theirs.join(', ')}], overlapping ` +
            `the partitions of ${consumer.durable_name}: delete it`,
        );
      await deleteConsumer(jsm, stream, info.name);
      onTakeover(info.name);
    }
  }
}

/** Whether two subject filters can match a common subject (`*` one token, `>` the rest). */
export function subjectsCollide(a: string, b: string): boolean {
  const x = a.split('.');
  const y = b.split('.');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const s = x[i];
    const t = y[i];
    if (s === '>' || t === '>') return s !== undefined && t !== undefined;
    if (s === undefined || t === undefined) return false;
    if (s !== '*' && t !== '*' && s !== t) return false;
  }
  return true;
}
