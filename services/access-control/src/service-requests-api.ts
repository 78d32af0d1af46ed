import type {
  ResponsesRequest,
  ResponsesResponse,
  ServiceRequestsServiceServer,
  SubmitRequest,
  SubmitResponse,
} from '@dcc/proto';
import { authenticatedUserId, inServerSpan, MalformedMessage, toServiceError } from '@dcc/service-kit';
import type { ServerDuplexStream, ServerUnaryCall, sendUnaryData } from '@grpc/grpc-js';
import type { RequestIntake } from './request-intake.js';
import type { ResponseStreams } from './response-stream.js';
import { SubmitStreamSession } from './submit-stream.js';

/** The gRPC face of the DCC User Interface. */
export class ServiceRequestsApi {
  private readonly sessions = new Set<SubmitStreamSession>();

  constructor(
    private readonly intake: RequestIntake,
    private readonly responses: ResponseStreams,
    private readonly streamWindow: number,
  ) {}

  implementation(): ServiceRequestsServiceServer {
    return {
      submit: (
        call: ServerUnaryCall<SubmitRequest | MalformedMessage, SubmitResponse>,
        callback: sendUnaryData<SubmitResponse>,
      ) => {
        inServerSpan('dcc.v1.ServiceRequestsService/Submit', call.metadata, (_span, trace) => {
          if (call.request instanceof MalformedMessage) throw call.request.error();
          return this.intake.accept(call.request.request, authenticatedUserId(call), trace);
        }).then(
          (acknowledgement) => callback(null, { acknowledgement }),
          (error: unknown) => callback(toServiceError(error)),
        );
      },
      submitStream: (call) => {
        let identity;
        try {
          identity = authenticatedUserId(call);
        } catch (error) {
          call.emit('error', toServiceError(error));
          return;
        }
        const session = new SubmitStreamSession(call, this.intake, this.streamWindow, identity);
        this.sessions.add(session);
        void session.done.then(() => this.sessions.delete(session));
      },
      responses: (call: ServerDuplexStream<ResponsesRequest | MalformedMessage, ResponsesResponse>) => {
        this.responses.serve(call);
      },
    } as ServiceRequestsServiceServer;
  }

  /** Finishes open submission streams and ends response streams, for a graceful shutdown. */
  async drain(): Promise<void> {
    await Promise.all([...this.sessions].map((s) => s.drain()));
    await this.responses.drain();
  }
}
