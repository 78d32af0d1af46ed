import type { ClientDuplexStream } from '@grpc/grpc-js';
import { Correlator } from './correlator.js';
import type { GrpcEcho } from './grpc-echo.js';
import type { BenchSpec } from './measure.js';

const UNARY_PAYLOAD = Buffer.alloc(60, 0x2a);
/** Size of a streamed message; its first 4 bytes carry the sequence number that correlates the echo. */
const STREAM_PAYLOAD_BYTES = 60;

/** Bare grpc-js unary calls on one channel. */
export function grpcUnary(echo: GrpcEcho): BenchSpec {
  return {
    name: 'grpc-unary',
    kind: 'ceiling',
    description: 'grpc-js unary, identity serializers, one channel, echo',
    concurrency: 100,
    op: () =>
      new Promise<void>((resolve, reject) =>
        echo.client.unary(UNARY_PAYLOAD, (error) => (error ? reject(error) : resolve())),
      ),
  };
}

/**
 * Bare grpc-js bidi streaming on one call: each operation writes one ~60-byte message and completes when the
 * server's echo of it comes back, so at most `concurrency` messages are in flight (the window).
 */
export function grpcStream(echo: GrpcEcho): BenchSpec & { close(): void } {
  const call: ClientDuplexStream<Buffer, Buffer> = echo.client.bidi();
  const echoes = new Correlator<number>();
  let sequence = 0;
  call.on('data', (message: Buffer) => echoes.resolve(message.readUInt32BE(0)));
  call.on('error', (error: Error) => echoes.rejectAll(error));
  return {
    name: 'grpc-stream',
    kind: 'ceiling',
    description: 'grpc-js bidi stream, one call, ~60-byte messages echoed, windowed (ops/s = msgs each way)',
    concurrency: 2_000,
    op: () => {
      const seq = sequence++ >>> 0;
      const message = Buffer.alloc(STREAM_PAYLOAD_BYTES, 0x2a);
      message.writeUInt32BE(seq, 0);
      const echoed = echoes.wait(seq);
      // The window bounds what is buffered, so the write's backpressure signal is not awaited.
      call.write(message);
      return echoed;
    },
    close: () => call.end(),
  };
}
