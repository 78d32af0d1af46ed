import { requestTyped, subjects, type Requester } from '@dcc/bus';
import {
  AuthoriseRegistrationBatchRequest,
  AuthoriseRegistrationBatchResponse,
  AuthoriseRegistrationRequest,
  AuthoriseRegistrationResponse,
} from '@dcc/proto';
import { context, type Context } from '@opentelemetry/api';
import { Coalescer } from './coalescer.js';

interface Check {
  request: AuthoriseRegistrationRequest;
  parent: Context;
}

/** Batches on the way to registration at once; later checks wait and go together in the next one. */
const MAX_IN_FLIGHT = 4;
/**
 * Checks per batch at most: replies stay ~100 KB (~100 bytes an answer), far below NATS's 1 MB payload limit, and
 * large enough that the batches on the way never cap the rate (4 × 1,000 checks per registration round trip).
 */
const MAX_BATCH = 1_000;

/**
 * Registration checks to `dcc.registration.authorise`, coalesced under load (coalescer.ts): a check sent alone
 * goes on the single-request subject, its trace forwarded; checks queued meanwhile leave together in one
 * `dcc.registration.authorise.batch` message. Every check still carries its own instant and is decided by
 * registration when the message arrives, from the inventory as it stands then: coalescing changes how many NATS
 * messages carry the checks, not what is asked or when it is answered for. It cuts the per-request NATS work (a
 * publish, a delivery, a decode, a span and a reply at both ends) to one per batch. A batch's span continues the
 * trace of its first check.
 */
export class AuthoriseBatcher {
  private readonly checks: Coalescer<Check, AuthoriseRegistrationResponse>;

  constructor(
    private readonly requester: Requester,
    private readonly timeoutMs: number,
  ) {
    this.checks = new Coalescer((batch) => this.send(batch), MAX_IN_FLIGHT, MAX_BATCH);
  }

  ask(
    request: AuthoriseRegistrationRequest,
    parent: Context = context.active(),
  ): Promise<AuthoriseRegistrationResponse> {
    return this.checks.ask({ request, parent });
  }

  private async send(batch: Check[]): Promise<AuthoriseRegistrationResponse[]> {
    const first = batch[0]!;
    if (batch.length === 1) {
      return [
        await requestTyped(
          this.requester,
          subjects.registrationAuthorise,
          { codec: AuthoriseRegistrationRequest, message: first.request },
          AuthoriseRegistrationResponse,
          this.timeoutMs,
          first.parent,
        ),
      ];
    }
    const { answers } = await requestTyped(
      this.requester,
      subjects.registrationAuthoriseBatch,
      {
        codec: AuthoriseRegistrationBatchRequest,
        message: { requests: batch.map((c) => c.request) },
      },
      AuthoriseRegistrationBatchResponse,
      this.timeoutMs,
      first.parent,
    );
    return answers;
  }
}
