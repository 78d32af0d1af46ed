import { consumers, PullConsumer, streams, subjects, type Requester } from '@dcc/bus';
import { DccError, GrpcStatus, parseEui64, type Eui64 } from '@dcc/domain';
import type { ResponsesRequest, ResponsesResponse } from '@dcc/proto';
import { authenticatedUserId, MalformedMessage, toServiceError, type Logger } from '@dcc/service-kit';
import type { ServerDuplexStream } from '@grpc/grpc-js';
import type { NatsConnection } from '@nats-io/transport-node';
import { RESPONSE_ACK_WAIT_MS, ResponseCall } from './response-call.js';
import { UserResponseLedger } from './response-ledger.js';
import type { UserDirectory } from './user-directory.js';

type Call = ServerDuplexStream<ResponsesRequest | MalformedMessage, ResponsesResponse>;

/** Most unconfirmed responses one call may hold (the client may ask for fewer): bounds memory per call. */
export const MAX_RESPONSE_WINDOW = 1_000;
/** Unacknowledged responses across all of one User's calls (JetStream's max_ack_pending of its consumer). */
const MAX_PENDING_PER_USER = 10_000;
/** On shutdown, how long a client gets to confirm what it was sent before the rest is released. */
const SHUTDOWN_GRACE_MS = 2_000;

/**
 * Serves the bidirectional Responses calls (service_requests_api.proto): the first client message opens the call
 * for a User, later ones confirm deliveries. One durable JetStream consumer per User; its open calls are
 * competing readers of it.
 */
export class ResponseStreams {
  private readonly open = new Map<ResponseCall, Call>();
  private readonly ledgers = new Map<Eui64, UserResponseLedger>();
  private readonly consumers = new Map<Eui64, Promise<PullConsumer>>();
  private draining = false;

  constructor(
    private readonly nc: NatsConnection,
    private readonly requester: Requester,
    private readonly users: UserDirectory,
    private readonly log: Logger,
  ) {}

  serve(call: Call): void {
    let session: ResponseCall | undefined;
    let opening: Promise<void> | undefined;
    let userId: Eui64 | undefined;
    const fail = (error: unknown) => {
      void session?.end();
      call.emit('error', toServiceError(error));
    };
    call.on('data', (message: ResponsesRequest | MalformedMessage) => {
      try {
        if (message instanceof MalformedMessage) throw message.error();
        if (!opening) {
          opening = this.openCall(call, message).then((opened) => {
            userId = opened.userId;
            session = opened.session;
          }, fail);
          return;
        }
        const confirm = message.confirmThrough;
        void opening
          .then(() => {
            if (!session) return;
            if (message.userId !== '' && message.userId !== userId) {
              throw DccError.invalidArgument('user_id may not change on an open Responses call');
            }
            if (confirm > 0) session.confirm(confirm);
          })
          .catch(fail);
      } catch (error) {
        fail(error);
      }
    });
    // The client will confirm nothing more (half-close) or is gone: release what it did not confirm.
    const close = () =>
      void (opening ?? Promise.resolve()).then(async () => {
        await session?.end();
        if (call.writable) call.end();
      });
    call.on('end', close);
    call.on('cancelled', close);
  }

  /** Ends every open call after a short grace for confirmations; unconfirmed responses stay stored. */
  async drain(): Promise<void> {
    this.draining = true;
    await Promise.all(
      [...this.open].map(async ([session, call]) => {
        await session.stopSending(SHUTDOWN_GRACE_MS);
        if (call.writable) call.end();
      }),
    );
  }

  private async openCall(
    call: Call,
    first: ResponsesRequest,
  ): Promise<{ userId: Eui64; session: ResponseCall }> {
    if (this.draining) throw DccError.unavailable('access control is shutting down; reconnect');
    const authenticated = authenticatedUserId(call);
    const userId = first.userId === '' && authenticated ? authenticated : parseEui64(first.userId, 'user_id');
    if (authenticated && userId !== authenticated) {
      throw new DccError(
        GrpcStatus.PERMISSION_DENIED,
        `User ${authenticated} may not read the responses of ${userId}`,
      );
    }
    if (!this.users.find(userId)) throw DccError.duis('E1', `User ${userId} is not admitted`);
    const window =
      first.window > 0 && first.window < MAX_RESPONSE_WINDOW ? first.window : MAX_RESPONSE_WINDOW;
    const consumer = await this.consumerFor(userId);
    let ledger = this.ledgers.get(userId);
    if (!ledger) this.ledgers.set(userId, (ledger = new UserResponseLedger()));
    const session = new ResponseCall(call, consumer, this.requester, ledger, window, this.log);
    this.open.set(session, call);
    void session.finished.then(() => this.open.delete(session));
    if (first.confirmThrough > 0) session.confirm(first.confirmThrough);
    return { userId, session };
  }

  private consumerFor(userId: Eui64): Promise<PullConsumer> {
    let consumer = this.consumers.get(userId);
    if (!consumer) {
      consumer = PullConsumer.open(this.nc, {
        stream: streams.responses.name,
        durable: consumers.userResponses(userId),
        filterSubject: subjects.userResponses(userId),
        ackWaitMs: RESPONSE_ACK_WAIT_MS,
        maxAckPending: MAX_PENDING_PER_USER,
      });
      consumer.catch(() => this.consumers.delete(userId));
      this.consumers.set(userId, consumer);
    }
    return consumer;
  }
}
