import { DccError, GrpcStatus } from '@dcc/domain';
import {
  createInbox,
  type Msg,
  type MsgHdrs,
  type NatsConnection,
  type Subscription,
} from '@nats-io/transport-node';
import { BusLink } from './bus-link.js';
import { errorFromHeaders } from './error-headers.js';
import { outboundOf, type OutboundBatch } from './outbound-batch.js';

interface Pending {
  /** Takes one reply message; true when it was the last one the request waits for. */
  take(msg: Msg): boolean;
  reject(error: DccError): void;
  subject: string;
}

export interface RequesterOptions {
  /** Default time to wait for a reply. */
  timeoutMs?: number;
}

/** Granularity of timeout checks; a reply's timeout fires up to this much late. */
const TICK_MS = 50;

/**
 * Request/reply over one wildcard reply subscription and a correlation map.
 *
 * The client's own `request()` allocates a timer and an Error (with stack) per call, which measured at about a
 * fifth of what the connection carries on this hardware (docs/performance.md). Here a request costs one map
 * entry and one publish (sent with the connection's other sends of the loop turn: outbound-batch.ts); timeouts are
 * swept in coarse ticks from per-deadline buckets.
 *
 * While the connection is down a request fails at once as UNAVAILABLE (nothing is published: the client would
 * buffer it and send it after reconnecting, long after its caller gave up), and requests waiting for a reply when
 * it drops fail as UNAVAILABLE too: their replies will not come.
 */
export class Requester {
  private readonly inbox: string;
  private readonly subscription: Subscription;
  private readonly pending = new Map<string, Pending>();
  private readonly deadlines = new Map<number, string[]>();
  private readonly sweeper: NodeJS.Timeout;
  private readonly defaultTimeoutMs: number;
  private readonly link: BusLink;
  private readonly outbound: OutboundBatch;
  private next = 0;

  constructor(
    private readonly nc: NatsConnection,
    options: RequesterOptions = {},
  ) {
    this.defaultTimeoutMs = options.timeoutMs ?? 5_000;
    this.inbox = createInbox();
    this.subscription = nc.subscribe(`${this.inbox}.*`, { callback: (_err, msg) => this.onReply(msg) });
    this.sweeper = setInterval(() => this.sweep(), TICK_MS);
    this.sweeper.unref();
    this.link = new BusLink(nc);
    this.outbound = outboundOf(nc);
    this.link.onChange((up) => {
      if (!up) this.abandonAll('the message bus connection was lost');
    });
  }

  /** Sends `data` to `subject` and resolves with the reply; rejects with a DccError on error or timeout. */
  request(
    subject: string,
    data: Uint8Array,
    headers?: MsgHdrs,
    timeoutMs = this.defaultTimeoutMs,
  ): Promise<Msg> {
    return new Promise<Msg>((resolve, reject) => {
      const take = (msg: Msg): boolean => {
        resolve(msg);
        return true;
      };
      this.send(subject, data, headers, timeoutMs, { take, reject, subject });
    });
  }

  /**
   * For a reply that comes as several messages (a JetStream batched direct get): hands each to `onReply` until it
   * returns true (the last one), then resolves. A reply carrying an error, a timeout before the last message, or
   * an `onReply` that throws rejects, and later messages are dropped.
   */
  requestMany(
    subject: string,
    data: Uint8Array,
    onReply: (msg: Msg) => boolean,
    timeoutMs = this.defaultTimeoutMs,
  ): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const take = (msg: Msg): boolean => {
        const last = onReply(msg);
        if (last) resolve();
        return last;
      };
      this.send(subject, data, undefined, timeoutMs, { take, reject, subject });
    });
  }

  private send(
    subject: string,
    data: Uint8Array,
    headers: MsgHdrs | undefined,
    timeoutMs: number,
    pending: Pending,
  ): void {
    if (!this.link.up) {
      pending.reject(DccError.unavailable(`message bus unavailable: cannot reach ${subject}; resend`));
      return;
    }
    const token = (this.next++).toString(36);
    const reply = `${this.inbox}.${token}`;
    this.pending.set(token, pending);
    const due = Math.ceil((Date.now() + timeoutMs) / TICK_MS);
    const bucket = this.deadlines.get(due);
    if (bucket) bucket.push(token);
    else this.deadlines.set(due, [token]);
    this.outbound.run(
      () => this.nc.publish(subject, data, headers ? { reply, headers } : { reply }),
      (error) => {
        if (this.pending.delete(token))
          pending.reject(DccError.unavailable(`cannot publish to ${subject}: ${(error as Error).message}`));
      },
    );
  }

  get inFlight(): number {
    return this.pending.size;
  }

  /** Stops listening; requests still waiting fail as UNAVAILABLE. */
  close(): void {
    clearInterval(this.sweeper);
    this.link.close();
    this.subscription.unsubscribe();
    this.abandonAll('requester closed');
  }

  private abandonAll(reason: string): void {
    for (const [token, p] of this.pending) {
      this.pending.delete(token);
      p.reject(DccError.unavailable(`request to ${p.subject} abandoned: ${reason}`));
    }
  }

  private onReply(msg: Msg): void {
    const token = msg.subject.slice(this.inbox.length + 1);
    const p = this.pending.get(token);
    if (!p) return; // late reply after a timeout (or after the last message)
    const h = msg.headers;
    if (h?.hasError && h.code === 503) {
      this.pending.delete(token);
      p.reject(DccError.unavailable(`no service is listening on ${p.subject}`));
      return;
    }
    const error = errorFromHeaders(h);
    if (error) {
      this.pending.delete(token);
      p.reject(error);
      return;
    }
    let last: boolean;
    try {
      last = p.take(msg);
    } catch (failure) {
      last = true;
      p.reject(DccError.from(failure));
    }
    if (last) this.pending.delete(token);
  }

  private sweep(): void {
    const now = Math.floor(Date.now() / TICK_MS);
    for (const [due, tokens] of this.deadlines) {
      if (due > now) continue;
      this.deadlines.delete(due);
      for (const token of tokens) {
        const p = this.pending.get(token);
        if (!p) continue;
        this.pending.delete(token);
        p.reject(new DccError(GrpcStatus.DEADLINE_EXCEEDED, `no reply from ${p.subject} in time`));
      }
    }
  }
}
