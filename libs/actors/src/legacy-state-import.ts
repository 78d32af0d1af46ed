import { parsePubAck, type Requester } from '@dcc/bus';
import { DeliverPolicy, jetstream, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { fromKeyToken } from './keys.js';
import { journalHeaders } from './state-journal.js';

/** Journal writes on their way at once while importing (enough to keep nats-server busy, bounded memory). */
const IN_FLIGHT = 256;

/**
 * Carries one partition's actor states from the KV bucket of earlier releases (`s.<partition>.<token>`, one key
 * per actor) into the partition's journal, then purges them from the bucket. The new owner calls it while
 * acquiring the partition, before it serves anything: the partition's lease makes it the only importer, and
 * since the keys are purged only after every state is journaled and no owner serves the partition before that,
 * an import cut short is simply done again by the next owner (the same states journaled once more).
 * Resolves with the number of states imported.
 */
export async function importLegacyPartition(
  nc: NatsConnection,
  jsm: JetStreamManager,
  requester: Requester,
  bucket: string,
  partition: number,
  journalSubject: string,
): Promise<number> {
  const stream = `KV_${bucket}`;
  const prefix = `$KV.${bucket}.s.${partition}.`;
  const info = await jsm.streams.info(stream, { subjects_filter: `${prefix}>` });
  const keys = Object.keys(info.state.subjects ?? {}).length;
  if (keys === 0) return 0;
  const consumer = await jetstream(nc).consumers.get(stream, {
    filter_subjects: `${prefix}>`,
    deliver_policy: DeliverPolicy.LastPerSubject,
  });
  const messages = await consumer.consume();
  const writes = new Set<Promise<void>>();
  let failure: unknown;
  let imported = 0;
  let seen = 0;
  try {
    for await (const m of messages) {
      seen++;
      const operation = m.headers?.get('KV-Operation');
      if (operation !== 'DEL' && operation !== 'PURGE') {
        const actorId = fromKeyToken(m.subject.slice(prefix.length));
        const write = requester
          .request(journalSubject, m.data, journalHeaders('put', actorId))
          .then((reply) => void parsePubAck(reply.data, journalSubject))
          .catch((error: unknown) => void (failure ??= error))
          .finally(() => writes.delete(write));
        writes.add(write);
        imported++;
        if (writes.size >= IN_FLIGHT) await Promise.race(writes);
      }
      if (failure !== undefined || seen >= keys) break;
    }
  } finally {
    await messages.close();
  }
  await Promise.all(writes);
  if (failure !== undefined) throw failure;
  await jsm.streams.purge(stream, { filter: `${prefix}>` });
  return imported;
}
