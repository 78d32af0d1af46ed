import { futureDatedStreams, futureDatedSubjects, Requester } from '@dcc/bus';
import { DccError, GrpcStatus, type Eui64 } from '@dcc/domain';
import { HeldRequest, UserRole } from '@dcc/proto';
import { startNatsServer, waitFor, type NatsServer } from '@dcc/testkit';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelHeld } from './cancel-api.js';
import { startFutureDated, type FutureDatedHolder } from './future-dated.js';
import { HeldStore } from './held-store.js';

// Cancellations racing the release of the same requests, over a real nats-server: each request is either
// cancelled (and never published for access control) or released (and its cancellation refused), never both.

const USER = '90-B3-D5-1F-30-01-00-00' as Eui64;
const REQUESTS = 60;
const EARLY = 5;
const EXECUTION_MS = Date.UTC(2030, 0, 1, 6);
const requestId = (n: number) =>
  `${USER}:00-DB-12-00-00-00-00-${(n + 16).toString(16).toUpperCase()}:${100 + n}`;

let nats: NatsServer;
let nc: NatsConnection;
let requester: Requester;
let holder: FutureDatedHolder;
let now = EXECUTION_MS - 3_600_000;

beforeAll(async () => {
  nats = await startNatsServer();
  nc = await connect({ servers: nats.url });
  requester = new Requester(nc);
  holder = await startFutureDated({
    nc,
    requester,
    clock: () => now,
    bucketMs: 60_000,
    log: { warn: () => undefined },
    leads: () => true,
  });
});

afterAll(async () => {
  await holder?.drain();
  requester?.close();
  await nc?.close();
  await nats?.stop();
});

/** The RequestIDs published for access control on `dcc.fd.released`. */
async function releasedIds(): Promise<string[]> {
  const stream = futureDatedStreams.futureDated.name;
  await (
    await jetstreamManager(nc)
  ).consumers.add(stream, {
    durable_name: 'race-test',
    ack_policy: AckPolicy.Explicit,
    filter_subject: futureDatedSubjects.released,
  });
  const consumer = await jetstream(nc).consumers.get(stream, 'race-test');
  const ids: string[] = [];
  for (;;) {
    const batch = await consumer.fetch({ max_messages: 100, expires: 1_000 });
    let got = 0;
    for await (const msg of batch) {
      ids.push(HeldRequest.decode(msg.data).request!.requestId);
      msg.ack();
      got += 1;
    }
    if (got === 0) return ids;
  }
}

describe('cancellation racing release', () => {
  it('every request is cancelled or released, none both, none neither', async () => {
    const js = jetstream(nc);
    for (let n = 0; n < REQUESTS; n++) {
      const held: HeldRequest = {
        request: {
          requestId: requestId(n),
          commandVariant: 1,
          serviceReferenceVariant: '4.1.1',
          userRole: UserRole.USER_ROLE_IMPORT_SUPPLIER,
          body: { $case: 'readInstantaneousImportRegisters', value: {} },
          executionDateTimeMs: EXECUTION_MS,
        },
        userId: USER,
        acceptedAtMs: now,
        releasedAtMs: 0,
      };
      await js.publish(futureDatedSubjects.held, HeldRequest.encode(held).finish(), { msgID: requestId(n) });
    }
    const store = await HeldStore.open(nc, 86_400_000 * 39);
    await waitFor('all held', async () => {
      for (let n = 0; n < REQUESTS; n++) if (!(await store.get(HeldStore.key(requestId(n))))) return false;
      return true;
    });

    const cancelled = new Set<string>();
    const refused = new Set<string>();
    // A few cancelled well before their time: these certainly never run.
    for (let n = 0; n < EARLY; n++) {
      await cancelHeld(store, requestId(n), USER);
      cancelled.add(requestId(n));
    }
    now = EXECUTION_MS + 120_000;
    await Promise.all([
      holder.releaser.tick(),
      // Spread over the pass: the first ones before the releaser reaches them, the last ones after.
      ...Array.from({ length: REQUESTS - EARLY }, (_, i) => EARLY + i).map((n) =>
        new Promise((resolve) => setTimeout(resolve, n * 10))
          .then(() => cancelHeld(store, requestId(n), USER))
          .then(
            () => cancelled.add(requestId(n)),
            (error: unknown) => {
              expect(DccError.from(error).status).toBe(GrpcStatus.FAILED_PRECONDITION);
              refused.add(requestId(n));
            },
          ),
      ),
    ]);
    const released = new Set(await releasedIds());
    expect(released.size + cancelled.size).toBe(REQUESTS);
    expect([...cancelled].filter((id) => released.has(id))).toEqual([]);
    expect(refused).toEqual(released);
    expect(holder.releaser.stats.released).toBe(released.size);
  });
});
