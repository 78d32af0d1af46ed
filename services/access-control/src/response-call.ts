import { ackConfirmed, decode, type JsMsg, type Pull, type PullConsumer, type Requester } from '@dcc/bus';
import { DccError } from '@dcc/domain';
import { ServiceResponse, type ResponsesResponse } from '@dcc/proto';
import { writeRespectingBackpressure, type Logger } from '@dcc/service-kit';
import type { ResponseHolder, UserResponseLedger } from './response-ledger.js';

/** How long one pull waits for responses before the next one is sent. */
const PULL_EXPIRES_MS = 5_000;
/** After a failed pull (the bus is down), wait this long before trying again. */
const RETRY_MS = 500;
/** Unconfirmed responses are marked "in progress" this often, well inside the consumer's ack wait. */
export const RESPONSE_ACK_WAIT_MS = 30_000;
const HEARTBEAT_MS = RESPONSE_ACK_WAIT_MS / 3;

interface Unconfirmed {
  streamSequence: number;
  msg: JsMsg;
}

interface Writable {
  write(message: ResponsesResponse): boolean;
  once(event: 'drain', listener: () => void): unknown;
}

/**
 * One open Responses call: pulls the User's stored responses while fewer than `window` are unconfirmed, numbers
 * them 1, 2, 3, … on this call, and acknowledges each to JetStream only when the client confirms its number
 * (cumulatively). When the call ends, what is unconfirmed is released to be delivered again.
 */
export class ResponseCall implements ResponseHolder {
  private readonly unconfirmed = new Map<number, Unconfirmed>();
  private readonly deliveryOf = new Map<number, number>();
  private readonly acks = new Set<Promise<unknown>>();
  private nextDelivery = 1;
  private confirmedThrough = 0;
  private open = true;
  private pulling = true;
  private pull: Pull | undefined;
  private wake: (() => void) | undefined;
  private readonly heartbeat: NodeJS.Timeout;
  readonly finished: Promise<void>;

  constructor(
    private readonly out: Writable,
    private readonly consumer: PullConsumer,
    /** Acknowledgements are waited for through the process's shared Requester (ackConfirmed). */
    private readonly requester: Requester,
    private readonly ledger: UserResponseLedger,
    private readonly window: number,
    private readonly log: Logger,
  ) {
    this.heartbeat = setInterval(() => {
      for (const { msg } of this.unconfirmed.values()) msg.working();
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
    this.finished = this.run();
  }

  /** The client has everything numbered up to `through`. */
  confirm(through: number): void {
    if (through > this.nextDelivery - 1) {
      throw DccError.invalidArgument(
        `confirm_through ${through} is beyond the last delivery sent on this call (${this.nextDelivery - 1})`,
      );
    }
    for (let n = this.confirmedThrough + 1; n <= through; n++) {
      const entry = this.unconfirmed.get(n);
      if (!entry) continue;
      this.unconfirmed.delete(n);
      this.deliveryOf.delete(entry.streamSequence);
      this.ledger.confirm(entry.streamSequence);
      // Wait for the server to record the acknowledgement; if it did not, the ledger drops the redelivery.
      const ack = ackConfirmed(this.requester, entry.msg);
      this.acks.add(ack);
      void ack.finally(() => this.acks.delete(ack));
    }
    this.confirmedThrough = Math.max(this.confirmedThrough, through);
    this.wakeUp();
  }

  /** Stops sending, waits up to `graceMs` for the client to confirm what it has, then ends (see end()). */
  async stopSending(graceMs: number): Promise<void> {
    this.pulling = false;
    this.pull?.stop();
    const deadline = Date.now() + graceMs;
    while (this.open && this.unconfirmed.size > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await this.end();
  }

  /** Ends the call: unconfirmed responses go back to the stream at once, to this User's next or other reader. */
  async end(): Promise<void> {
    if (this.open) {
      this.open = false;
      this.pulling = false;
      clearInterval(this.heartbeat);
      this.pull?.stop();
      for (const { streamSequence, msg } of this.unconfirmed.values()) {
        this.ledger.release(streamSequence);
        msg.nak();
      }
      this.unconfirmed.clear();
      this.deliveryOf.clear();
      this.wakeUp();
    }
    await this.finished;
    await Promise.all(this.acks);
    // The pull's inbox is gone at the server before the call ends: responses stored from now on go to the User's
    // next pull, not to this call's expired-but-pending request (which would hold them for the ack wait).
    await this.consumer.settle();
  }

  redelivered(streamSequence: number, msg: JsMsg): void {
    const delivery = this.deliveryOf.get(streamSequence);
    const entry = delivery === undefined ? undefined : this.unconfirmed.get(delivery);
    if (entry) entry.msg = msg;
    else msg.nak();
  }

  private async run(): Promise<void> {
    while (this.pulling) {
      const room = this.window - this.unconfirmed.size;
      if (room <= 0) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      this.pull = this.consumer.pull(room, PULL_EXPIRES_MS, (msg) => this.onMessage(msg));
      try {
        await this.pull.finished;
      } catch (error) {
        if (!this.pulling) break;
        this.log.debug({ err: error }, 'response pull failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
  }

  private onMessage(msg: JsMsg): void {
    const streamSequence = msg.info.streamSequence;
    if (!this.open) {
      msg.nak();
      return;
    }
    if (this.ledger.isConfirmed(streamSequence)) {
      // Confirmed before, its acknowledgement lost or not yet recorded by the store: acknowledge, never resend.
      void ackConfirmed(this.requester, msg);
      return;
    }
    const holder = this.ledger.holderOf(streamSequence);
    if (holder) {
      holder.redelivered(streamSequence, msg);
      return;
    }
    let response: ServiceResponse;
    try {
      response = decode(ServiceResponse, msg.data, 'user response');
    } catch (error) {
      this.log.error({ err: error, subject: msg.subject }, 'stored response is malformed; dropped');
      msg.term();
      return;
    }
    const delivery = this.nextDelivery++;
    this.unconfirmed.set(delivery, { streamSequence, msg });
    this.deliveryOf.set(streamSequence, delivery);
    this.ledger.hold(streamSequence, this);
    // No wait for the buffer to drain: the window already bounds what this call holds.
    void writeRespectingBackpressure(this.out, { response, delivery });
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
