import { Requester } from '@dcc/bus';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, headers } from '@nats-io/transport-node';
import type { BenchSpec } from '../measure.js';

const STREAM = 'BENCH_CEILING';
const MESSAGE_BYTES = 400;

/**
 * JetStream's own durable ceiling on the hub's nats-server: stored publishes of 400-byte messages (file storage,
 * a unique Nats-Msg-Id each, so the server's duplicate check runs), each complete when its PubAck arrives, with
 * many in flight: the asynchronous publish a JetStream client makes, through the same shared-inbox correlation the
 * hub's DurablePublisher uses. Every stored write of a read (meter mail, response, state, RequestID mark) costs at
 * least one of these.
 */
export async function jetStreamCeiling(
  natsUrl: string,
): Promise<{ spec: BenchSpec; close(): Promise<void> }> {
  const nc = await connect({ servers: natsUrl });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: STREAM, subjects: [`${STREAM.toLowerCase()}.>`], max_msgs: 200_000 });
  const requester = new Requester(nc);
  const payload = new Uint8Array(MESSAGE_BYTES).fill(0x61);
  let id = 0;
  return {
    spec: {
      name: 'jetstream-publish-dedup',
      kind: 'ceiling',
      description:
        'JetStream stored publish, 400-byte messages with a unique Nats-Msg-Id, PubAck awaited, own correlation, separate process',
      concurrency: 1_000,
      op: async () => {
        const h = headers();
        const n = id++;
        h.set('Nats-Msg-Id', `m${n}`);
        await requester.request(`${STREAM.toLowerCase()}.${n % 64}`, payload, h);
      },
    },
    async close() {
      requester.close();
      await jsm.streams.delete(STREAM);
      await nc.close();
    },
  };
}
