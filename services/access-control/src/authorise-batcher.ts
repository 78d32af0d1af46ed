import { requestTyped, subjects, type Requester } from '@dcc/bus';
import {
  AuthoriseRegistrationBatchRequest,
  AuthoriseRegistrationBatchResponse,
  AuthoriseRegistrationRequest,
  AuthoriseRegistrationResponse,
} from '@dcc/proto';
import { context, type Context } from '@opentelemetry/api';

interface Waiting {
  request: AuthoriseRegistrationRequest;
  parent: Context;
  resolve(answer: AuthoriseRegistrationResponse): void;
  reject(error: unknown): void;
}

/** Batches on the way to registration at once; later checks wait and go together in the next one. */
const MAX_IN_FLIGHT = 4;
/**
 * Checks per batch at most: replies stay ~100 KB (~100 bytes an answer), far below NATS's 1 MB payload limit, and
 * large enough that the batches on the way never cap the rate (4 × 1,000 checks per registration round trip).
 */
const MAX_BATCH = 1_000;

/**
 * Registration checks to `dcc.registration.authorise`, coalesced under load. While fewer than MAX_IN_FLIGHT
 * messages are on the way a check is sent at once, on its own (the single-request subject, its trace
 * forwarded), so an idle hub adds no wait; beyond that the checks arriving meanwhile queue and leave together in
 * one `dcc.registration.authorise.batch` message as soon as a reply frees a slot. Every check still carries its
 * own instant and is decided by registration when the message arrives, from the inventory as it stands then:
 * coalescing changes how many NATS messages carry the checks, not what is asked or when it is answered for.
 * It cuts the per-request NATS work (a publish, a delivery, a decode, a span and a reply at both ends) to one
 * per batch. A batch's span continues the trace of its first check.
 */
export class AuthoriseBatcher {
  private readonly queue: Waiting[] = [];
  private inFlight = 0;

  constructor(
    private readonly requester: Requester,
    private readonly timeoutMs: number,
  ) {}

  ask(
    request: AuthoriseRegistrationRequest,
    parent: Context = context.active(),
  ): Promise<AuthoriseRegistrationResponse> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request, parent, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      this.inFlight++;
      void this.send(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async send(batch: Waiting[]): Promise<void> {
    const first = batch[0]!;
    try {
      if (batch.length === 1) {
        first.resolve(await this.sendOne(first));
        return;
      }
      const { answers } = await requestTyped(
        this.requester,
        subjects.registrationAuthoriseBatch,
        {
          codec: AuthoriseRegistrationBatchRequest,
          message: { requests: batch.map((w) => w.request) },
        },
        AuthoriseRegistrationBatchResponse,
        this.timeoutMs,
        first.parent,
      );
      if (answers.length !== batch.length) {
        throw new Error(`${answers.length} answers to a batch of ${batch.length} checks`);
      }
      batch.forEach((w, i) => w.resolve(answers[i]!));
    } catch (error) {
      for (const w of batch) w.reject(error);
    }
  }

  private sendOne(waiting: Waiting): Promise<AuthoriseRegistrationResponse> {
    return requestTyped(
      this.requester,
      subjects.registrationAuthorise,
      { codec: AuthoriseRegistrationRequest, message: waiting.request },
      AuthoriseRegistrationResponse,
      this.timeoutMs,
      waiting.parent,
    );
  }
}
