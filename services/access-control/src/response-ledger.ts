import type { JsMsg } from '@dcc/bus';

/** A Responses call holding unconfirmed responses; a redelivered copy of one of them is handed back to it. */
export interface ResponseHolder {
  /** The server redelivered a response this call holds: keep the newest handle (it is the one to acknowledge). */
  redelivered(streamSequence: number, msg: JsMsg): void;
}

/**
 * Confirmed responses remembered per User, so a redelivered copy is acknowledged again and dropped instead of
 * reaching the User twice. Covers an acknowledgement lost on the way (connection drop) and one the store had not
 * recorded when it crashed (nats-server writes consumer state shortly after the acknowledgement).
 */
const CONFIRMED_REMEMBERED = 10_000;

/**
 * What this process knows about one User's responses across its open Responses calls, by stream sequence: which
 * are held unconfirmed by a call, and which were confirmed recently. It makes duplicates impossible within the
 * process while neither it nor the store crashes.
 */
export class UserResponseLedger {
  private readonly held = new Map<number, ResponseHolder>();
  private readonly confirmed = new Set<number>();
  /**
   * The remembered confirmations in arrival order, as a ring: the oldest is dropped by key, in constant time.
   * (Trimming the Set through a fresh `values()` iterator is not: each one walks every deleted slot V8 keeps in
   * the table until it is rehashed.) Allocated on the first confirmation, as most Users never get that far.
   */
  private ring: Float64Array | undefined;
  private next = 0;

  /** The call holding this response unconfirmed, if any. */
  holderOf(streamSequence: number): ResponseHolder | undefined {
    return this.held.get(streamSequence);
  }

  isConfirmed(streamSequence: number): boolean {
    return this.confirmed.has(streamSequence);
  }

  hold(streamSequence: number, holder: ResponseHolder): void {
    this.held.set(streamSequence, holder);
  }

  /** The holder let it go unconfirmed (its call ended): the next delivery is a genuine one. */
  release(streamSequence: number): void {
    this.held.delete(streamSequence);
  }

  confirm(streamSequence: number): void {
    this.held.delete(streamSequence);
    if (this.confirmed.has(streamSequence)) return;
    const ring = (this.ring ??= new Float64Array(CONFIRMED_REMEMBERED));
    if (this.confirmed.size === CONFIRMED_REMEMBERED) this.confirmed.delete(ring[this.next]!);
    ring[this.next] = streamSequence;
    this.next = (this.next + 1) % CONFIRMED_REMEMBERED;
    this.confirmed.add(streamSequence);
  }

  get idle(): boolean {
    return this.held.size === 0;
  }
}
