import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';

/** One manager per connection (making one asks the server for its JetStream API first). */
const managers = new WeakMap<NatsConnection, Promise<JetStreamManager>>();
const managerOf = (nc: NatsConnection) => {
  let jsm = managers.get(nc);
  if (!jsm) managers.set(nc, (jsm = jetstreamManager(nc)));
  return jsm;
};

/** Subjects per batched direct get: the server answers at most 1,024 messages to one. */
const CHUNK = 1_000;

/**
 * Which keys of a KV bucket, among `filters` (keys, wildcards allowed), hold a value now: batched direct gets
 * of each key's last message, so no consumer is created. The KV client's keys() opens an ordered consumer per
 * call that the server keeps for five minutes; loops that list keys every second or so on every instance (the
 * lease rounds, the reminder scans) piled up past JetStream's 1,000 consumers per stream and then failed.
 * A filter matching more than the server answers at once is listed with keys() (rare: a scan's filter names one
 * partition's minute).
 */
export async function liveKeys(
  nc: NatsConnection,
  kv: Pick<KV, 'keys'>,
  bucket: string,
  filters: readonly string[],
): Promise<string[]> {
  const out: string[] = [];
  for (let from = 0; from < filters.length; from += CHUNK) {
    out.push(...(await chunk(nc, kv, bucket, filters.slice(from, from + CHUNK))));
  }
  return out;
}

async function chunk(
  nc: NatsConnection,
  kv: Pick<KV, 'keys'>,
  bucket: string,
  filters: readonly string[],
): Promise<string[]> {
  const prefix = `$KV.${bucket}.`;
  const out: string[] = [];
  try {
    const messages = await (
      await managerOf(nc)
    ).direct.getLastMessagesFor(`KV_${bucket}`, {
      multi_last: filters.map((f) => prefix + f),
    });
    for await (const m of messages) {
      const operation = m.header?.get('KV-Operation');
      if (operation === 'DEL' || operation === 'PURGE') continue;
      out.push(m.subject.slice(prefix.length));
    }
    return out;
  } catch (error) {
    if (!/too many results/i.test((error as Error).message)) throw error;
    if (filters.length > 1) {
      const half = Math.ceil(filters.length / 2);
      return [
        ...(await chunk(nc, kv, bucket, filters.slice(0, half))),
        ...(await chunk(nc, kv, bucket, filters.slice(half))),
      ];
    }
    for await (const key of await kv.keys(filters[0]!)) out.push(key);
    return out;
  }
}
