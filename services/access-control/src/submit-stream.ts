import { DccError, type Eui64 } from '@dcc/domain';
import type { SubmitStreamRequest, SubmitStreamResponse } from '@dcc/proto';
import { inServerSpan, MalformedMessage, writeRespectingBackpressure } from '@dcc/service-kit';
import type { ServerDuplexStream } from '@grpc/grpc-js';
import { rejection, type RequestIntake } from './request-intake.js';

type Call = ServerDuplexStream<SubmitStreamRequest | MalformedMessage, SubmitStreamResponse>;

/**
 * One bulk-submission stream. Requests are processed concurrently, acknowledgements are written in submission
 * order, and at most `window` requests wait for theirs (the stream pauses reading beyond that).
 */
export class SubmitStreamSession {
  private readonly pending: Promise<SubmitStreamResponse>[] = [];
  private flushing = false;
  private inputEnded = false;
  private closed = false;
  private draining = false;
  private resolveDone!: () => void;
  readonly done = new Promise<void>((r) => (this.resolveDone = r));

  constructor(
    private readonly call: Call,
    private readonly intake: RequestIntake,
    private readonly window: number,
    private readonly authenticatedAs: Eui64 | undefined,
  ) {
    call.on('data', (message: SubmitStreamRequest | MalformedMessage) => this.onRequest(message));
    call.on('end', () => {
      this.inputEnded = true;
      void this.flush();
    });
    call.on('cancelled', () => this.finish());
    call.on('error', () => this.finish());
  }

  /** Stops accepting: later requests on this stream are refused as UNAVAILABLE; what was taken is acknowledged. */
  drain(): Promise<void> {
    this.draining = true;
    this.inputEnded = true;
    void this.flush();
    return this.done;
  }

  private onRequest(message: SubmitStreamRequest | MalformedMessage): void {
    const request = message instanceof MalformedMessage ? undefined : message.request;
    const outcome = this.draining
      ? Promise.resolve({
          acknowledgement: rejection(
            request,
            DccError.unavailable('access control is shutting down; resend'),
          ),
        })
      : inServerSpan('dcc.v1.ServiceRequestsService/SubmitStream', this.call.metadata, (_span, trace) => {
          if (message instanceof MalformedMessage) throw message.error();
          return this.intake.accept(request, this.authenticatedAs, trace);
        }).then(
          (acknowledgement) => ({ acknowledgement }),
          (error: unknown) => ({ acknowledgement: rejection(request, error) }),
        );
    this.pending.push(outcome);
    if (this.pending.length >= this.window) this.call.pause();
    void this.flush();
  }

  /** Writes settled acknowledgements from the head of the queue, keeping submission order. */
  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.pending.length > 0 && !this.closed) {
        const ack = await this.pending[0]!;
        this.pending.shift();
        await writeRespectingBackpressure(this.call, ack);
        if (this.pending.length < this.window / 2 && this.call.isPaused()) this.call.resume();
      }
    } finally {
      this.flushing = false;
    }
    if (this.inputEnded && this.pending.length === 0 && !this.closed) {
      this.call.end();
      this.finish();
    }
  }

  private finish(): void {
    this.closed = true;
    this.resolveDone();
  }
}
