import { consumers, DurableConsumer, streams, subjects } from '@dcc/bus';
import { DccError, GrpcStatus, parseEui64 } from '@dcc/domain';
import { ServiceResponse, type ResponsesRequest, type ResponsesResponse } from '@dcc/proto';
import {
  authenticatedUserId,
  MalformedMessage,
  toServiceError,
  writeRespectingBackpressure,
  type Logger,
} from '@dcc/service-kit';
import type { ServerWritableStream } from '@grpc/grpc-js';
import type { NatsConnection } from '@nats-io/transport-node';
import type { UserDirectory } from './user-directory.js';

type Call = ServerWritableStream<ResponsesRequest | MalformedMessage, ResponsesResponse>;

/**
 * Streams a User's durable responses to its open Responses call. A response is acknowledged to JetStream only
 * after it was handed to the gRPC stream, so a User that disconnects gets it again on its next call.
 */
export class ResponseStreams {
  private readonly open = new Set<() => Promise<void>>();

  constructor(
    private readonly nc: NatsConnection,
    private readonly users: UserDirectory,
    private readonly log: Logger,
  ) {}

  async serve(call: Call): Promise<void> {
    let consumer: DurableConsumer<ServiceResponse> | undefined;
    try {
      if (call.request instanceof MalformedMessage) throw DccError.invalidArgument(call.request.reason);
      const authenticated = authenticatedUserId(call);
      const userId =
        call.request.userId === '' && authenticated
          ? authenticated
          : parseEui64(call.request.userId, 'user_id');
      if (authenticated && userId !== authenticated) {
        throw new DccError(
          GrpcStatus.PERMISSION_DENIED,
          `User ${authenticated} may not read the responses of ${userId}`,
        );
      }
      if (!this.users.find(userId)) throw DccError.duis('E1', `User ${userId} is not admitted`);
      let gone = false;
      call.on('cancelled', () => (gone = true));
      consumer = await DurableConsumer.start(this.nc, {
        stream: streams.responses.name,
        durable: consumers.userResponses(userId),
        filterSubject: subjects.userResponses(userId),
        codec: ServiceResponse,
        what: 'user response',
        batch: 500,
        handle: async (response) => {
          if (gone) throw DccError.unavailable('response stream closed');
          await writeRespectingBackpressure(call, { response });
        },
        onRejected: (error) =>
          this.log.error({ err: error, userId }, 'stored response is malformed; dropped'),
      });
    } catch (error) {
      call.emit('error', toServiceError(error));
      return;
    }
    const running = consumer;
    const close = async () => {
      this.open.delete(close);
      await running.drain();
      call.end();
    };
    this.open.add(close);
    call.on('cancelled', () => void close());
  }

  /** Ends every open response stream; responses not yet sent stay stored for the next call. */
  async drain(): Promise<void> {
    await Promise.all([...this.open].map((close) => close()));
  }
}
