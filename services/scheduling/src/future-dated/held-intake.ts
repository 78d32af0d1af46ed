import { DurableConsumer, futureDatedConsumers, futureDatedStreams, futureDatedSubjects } from '@dcc/bus';
import { FutureDatedState, HeldRequest } from '@dcc/proto';
import type { Logger } from '@dcc/service-kit';
import type { NatsConnection } from '@nats-io/transport-node';
import type { DueIndex } from '../due-index.js';
import { HeldStore } from './held-store.js';

/**
 * Takes the future-dated requests access control accepted (FUTURE_DATED `dcc.fd.held`) into the store, then
 * adds each to the due index at its ExecutionDateTime; the message is acknowledged only after both, so a crash
 * between them redelivers it and the store and the index's message id make the second pass change nothing.
 * The record comes first: an index entry without a record is dropped when it falls due.
 */
export function startHeldIntake(
  nc: NatsConnection,
  store: HeldStore,
  index: DueIndex,
  log: Pick<Logger, 'warn'>,
): Promise<DurableConsumer<HeldRequest>> {
  return DurableConsumer.start(nc, {
    stream: futureDatedStreams.futureDated.name,
    durable: futureDatedConsumers.held,
    filterSubject: futureDatedSubjects.held,
    codec: HeldRequest,
    what: 'future-dated request',
    handle: async (held) => {
      const request = held.request;
      if (!request?.executionDateTimeMs) throw new Error('held request without an execution time');
      const at = await store.hold(held);
      // A redelivery after the request was cancelled or released adds nothing to the index.
      if (at.record.state !== FutureDatedState.FUTURE_DATED_STATE_HELD) return;
      await index.add(request.executionDateTimeMs, { key: HeldStore.key(request.requestId), period: 0 });
    },
    onRejected: (error, msg) => log.warn({ err: error, seq: msg.seq }, 'future-dated request dropped'),
  });
}
