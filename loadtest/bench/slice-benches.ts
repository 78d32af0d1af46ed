import type { SubmitStreamResponse } from '@dcc/proto';
import type { BenchSpec } from './measure.js';
import type { SliceHub } from './slice-hub.js';

/** Unary Submit of 4.1.1 reads; an operation completes when its I0 arrives on the Responses stream. */
export function sliceUnary(slice: SliceHub): BenchSpec {
  return {
    name: 'slice-unary',
    kind: 'product',
    description: 'hub: unary Submit of 4.1.1 reads to random meters, submit -> I0 on Responses',
    concurrency: 100,
    op: async () => {
      const request = slice.reads.next();
      const answered = slice.responses.wait(request.requestId);
      try {
        await slice.client.submit(request);
      } catch (error) {
        slice.responses.reject(request.requestId, error as Error);
      }
      await answered;
    },
  };
}

/**
 * One SubmitStream call written continuously; at most `concurrency` requests are outstanding without their I0
 * (the window). Acknowledgements come back on the same call and only refusals are acted on.
 */
export function sliceStream(slice: SliceHub): BenchSpec & { close(): void } {
  const call = slice.client.grpc.submitStream();
  call.on('data', (reply: SubmitStreamResponse) => {
    const ack = reply.acknowledgement;
    if (ack && ack.responseCode !== 'I99') {
      slice.responses.reject(ack.requestId, new Error(`${ack.responseCode}: ${ack.detail}`));
    }
  });
  call.on('error', (error: Error) => slice.responses.rejectAll(error));
  return {
    name: 'slice-stream',
    kind: 'product',
    description: 'hub: one SubmitStream call of 4.1.1 reads to random meters, write -> I0 on Responses',
    concurrency: 2_000,
    op: () => {
      const request = slice.reads.next();
      const answered = slice.responses.wait(request.requestId);
      // The window bounds what is buffered, so the write's backpressure signal is not awaited.
      call.write({ request });
      return answered;
    },
    close: () => call.end(),
  };
}
