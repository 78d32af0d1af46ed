import {
  ensureGridFeed,
  subjects,
  type Codec,
  type DurablePublisher,
  type GridFeed,
  type GridFeedRetention,
} from '@dcc/bus';
import { parseEui64, type Eui64 } from '@dcc/domain';
import type { NatsConnection } from '@nats-io/transport-node';

/** A ts-proto message's functions: its binary codec and its proto3 JSON mapping. */
export interface FeedMessageFns<T> extends Codec<T> {
  toJSON(message: T): unknown;
}

const encoder = new TextEncoder();

/** The JSON form of a message as a codec the publisher takes (publish only: nobody decodes through it). */
function jsonCodec<T>(fns: FeedMessageFns<T>): Codec<T> {
  return {
    encode: (message) => ({ finish: () => encoder.encode(JSON.stringify(fns.toJSON(message))) }),
    decode: () => {
      throw new Error('the JSON form is published, not decoded, here');
    },
  };
}

/**
 * Publishes each feed event twice into the DNO's stream `GRID_<dno>`: protobuf on `grid.<dno>.<feed>.<area>`
 * and JSON on the same subject with `.json` appended, each with its own message id (so a redelivered alert
 * stores neither twice). Resolves once both are stored. The DNO's stream and durable consumers are made on
 * the first event for that DNO (and at start for the DNOs configured), so a DNO's catch-up starts at its
 * first event.
 */
export class FeedPublisher {
  private readonly ready = new Map<Eui64, Promise<void>>();

  constructor(
    private readonly nc: NatsConnection,
    private readonly publisher: DurablePublisher,
    private readonly retention: GridFeedRetention,
  ) {}

  /** Makes sure the DNO's stream and durable consumers exist (once per process, retried after a failure). */
  prepare(dnoId: Eui64): Promise<void> {
    let ready = this.ready.get(dnoId);
    if (!ready) {
      ready = ensureGridFeed(this.nc, dnoId, this.retention);
      ready.catch(() => this.ready.delete(dnoId));
      this.ready.set(dnoId, ready);
    }
    return ready;
  }

  async publish<T>(
    dno: string,
    feed: GridFeed,
    area: string,
    fns: FeedMessageFns<T>,
    message: T,
    messageId: string,
  ): Promise<boolean> {
    const dnoId = parseEui64(dno, 'network operator');
    await this.prepare(dnoId);
    const [binary] = await Promise.all([
      this.publisher.publish(subjects.grid(dnoId, feed, area), fns, message, messageId),
      this.publisher.publish(
        subjects.gridJson(dnoId, feed, area),
        jsonCodec(fns),
        message,
        `${messageId}.json`,
      ),
    ]);
    return !binary.duplicate;
  }
}
