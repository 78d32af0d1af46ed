import type { NatsConnection } from '@nats-io/transport-node';

/**
 * Sends issued during one turn of the event loop, handed to the connection together.
 *
 * The NATS client writes its outbound buffer to the socket in a microtask after the first publish of a
 * macrotask, so publishes (requests, replies, acknowledgements) issued from separate I/O callbacks each cost a
 * socket write of their own: on loopback a write runs the receiver's side of TCP too, and the profile of a read
 * showed the client's flushes at about an eighth of the hub's CPU. Queued here, they run in order from one
 * `setImmediate` callback, after the I/O callbacks of the current loop turn, so the client flushes them with one
 * write; an idle loop runs the callback at once, so a lone send is not held back.
 *
 * Order: sends through one batch keep the order they were issued in. A send made directly on the connection in
 * the meantime can overtake a queued one; nothing on the hub's paths depends on that order (a stored write is
 * awaited before what depends on it is sent).
 */
export class OutboundBatch {
  private sends: (() => void)[] = [];
  private onErrors: ((error: unknown) => void)[] = [];
  private scheduled = false;

  /** Runs `send` with the other sends of this loop turn; an error it throws goes to `onError`. */
  run(send: () => void, onError: (error: unknown) => void = ignore): void {
    this.sends.push(send);
    this.onErrors.push(onError);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flush);
    }
  }

  /** Runs what is queued now (before the connection is drained or closed, so nothing queued is left behind). */
  readonly flush = (): void => {
    this.scheduled = false;
    const { sends, onErrors } = this;
    this.sends = [];
    this.onErrors = [];
    for (let i = 0; i < sends.length; i++) {
      try {
        sends[i]!();
      } catch (error) {
        onErrors[i]!(error);
      }
    }
  };
}

const batches = new WeakMap<NatsConnection, OutboundBatch>();

/** The one batch of a connection: every user of the connection shares it, so their sends share the writes. */
export function outboundOf(nc: NatsConnection): OutboundBatch {
  let batch = batches.get(nc);
  if (!batch) {
    batch = new OutboundBatch();
    batches.set(nc, batch);
  }
  return batch;
}

function ignore(): void {
  // The connection is gone: what was not sent is the same as a message lost with it (redelivered, or timed out).
}
