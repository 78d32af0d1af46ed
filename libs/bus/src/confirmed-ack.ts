import type { JsMsg } from '@nats-io/jetstream';
import type { Requester } from './requester.js';

const ACK = new TextEncoder().encode('+ACK');

/**
 * Acknowledges a JetStream delivery and resolves once the server has recorded the acknowledgement (true), or
 * with false when it did not confirm it (no reply, the consumer gone, the bus down): the same exchange as the
 * client's `msg.ackAck()` (`+ACK` to the delivery's reply subject, with a reply subject the server answers once
 * the ack is processed), but through the process's shared Requester. The client's `ackAck()` builds a request
 * object with two Errors (stacks), a timer and a Promise race per call, which showed in the request path's
 * profile at every response a client confirms (docs/performance.md).
 *
 * Use it in place of `msg.ackAck()`, never on a delivery that was already acknowledged, nak'ed or terminated:
 * the message's own bookkeeping of that (which `ack()` and `nak()` consult) is bypassed here.
 */
export async function ackConfirmed(requester: Requester, msg: JsMsg): Promise<boolean> {
  // The delivery's ack subject: a public getter of the client's message class, though not on the JsMsg interface
  // (test/confirmed-ack.spec.ts fails if a client upgrade drops it).
  const reply = (msg as JsMsg & { readonly reply?: string }).reply;
  if (!reply) return false;
  try {
    await requester.request(reply, ACK);
    return true;
  } catch {
    return false;
  }
}
