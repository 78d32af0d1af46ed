import type { HubClient } from '@dcc/e2e';
import type { ServiceRequest, SubmitStreamResponse } from '@dcc/proto';
import type { Correlator } from './correlator.js';
import type { BenchKind, BenchSpec } from './measure.js';
import type { SliceHub } from './slice-hub.js';

/** What a closed loop of reads needs: the User's client, the next request, and its Responses correlated. */
export interface ReadLoop {
  client: HubClient;
  next(): ServiceRequest;
  responses: Correlator<string>;
}

type Row = Pick<BenchSpec, 'name' | 'kind' | 'description'>;

/** Unary Submit of 4.1.1 reads; an operation completes when its I0 arrives on the Responses stream. */
export function sliceUnary(slice: SliceHub): BenchSpec {
  return unaryReads(readLoopOf(slice), {
    name: 'slice-unary',
    kind: 'product',
    description: 'hub: unary Submit of 4.1.1 reads to random meters, submit -> I0 on Responses',
  });
}

/**
 * One SubmitStream call written continuously; at most `concurrency` requests are outstanding without their I0
 * (the window). Acknowledgements come back on the same call and only refusals are acted on.
 */
export function sliceStream(slice: SliceHub): BenchSpec & { close(): void } {
  return streamedReads(readLoopOf(slice), {
    name: 'slice-stream',
    kind: 'product',
    description: 'hub: one SubmitStream call of 4.1.1 reads to random meters, write -> I0 on Responses',
  });
}

/** `sliceUnary` for any source of reads (100 in flight). */
export function unaryReads(loop: ReadLoop, row: Row & { kind: BenchKind }): BenchSpec {
  return {
    ...row,
    concurrency: 100,
    op: async () => {
      const request = loop.next();
      const answered = loop.responses.wait(request.requestId);
      try {
        await loop.client.submit(request);
      } catch (error) {
        loop.responses.reject(request.requestId, error as Error);
      }
      await answered;
    },
  };
}

/** `sliceStream` for any source of reads (by default 2,000 in flight on one call). */
export function streamedReads(loop: ReadLoop, row: Row, concurrency = 2_000): BenchSpec & { close(): void } {
  const call = loop.client.grpc.submitStream();
  call.on('data', (reply: SubmitStreamResponse) => {
    const ack = reply.acknowledgement;
    if (ack && ack.responseCode !== 'I99') {
      loop.responses.reject(ack.requestId, new Error(`${ack.responseCode}: ${ack.detail}`));
    }
  });
  call.on('error', (error: Error) => loop.responses.rejectAll(error));
  return {
    ...row,
    concurrency,
    op: () => {
      const request = loop.next();
      const answered = loop.responses.wait(request.requestId);
      // The window bounds what is buffered, so the write's backpressure signal is not awaited.
      call.write({ request });
      return answered;
    },
    close: () => call.end(),
  };
}

function readLoopOf(slice: SliceHub): ReadLoop {
  return { client: slice.client, next: () => slice.reads.next(), responses: slice.responses };
}
