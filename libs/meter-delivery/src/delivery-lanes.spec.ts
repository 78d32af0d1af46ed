import { startNatsServer, type NatsServer } from '@dcc/testkit';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryLanes } from './delivery-lanes.js';
import { SharedSwitches } from './shared-switches.js';

// A busy lane: a night's scheduled runs queued for one CSP region, and an on-demand read arriving behind them.

let nats: NatsServer;
let nc: NatsConnection;
let switches: SharedSwitches;

beforeAll(async () => {
  nats = await startNatsServer();
  nc = await connect({ servers: nats.url });
  switches = await SharedSwitches.open(nc, 's2');
});

afterAll(async () => {
  switches?.stop();
  await nc?.close();
  await nats?.stop();
});

const ROUND_TRIP_MS = 40;

function lanes(scheduledShare?: number) {
  return new DeliveryLanes<'NORTH'>({
    lanes: ['NORTH'],
    models: {
      NORTH: {
        baseLatencyMs: ROUND_TRIP_MS,
        jitterMs: 0,
        lossRate: 0,
        attemptTimeoutMs: 1_000,
        concurrency: 4,
      },
    },
    targetResponseMs: 30_000,
    seed: 1,
    switches,
    laneSwitch: 'region',
    describe: (lane) => `CSP region ${lane}`,
    scheduledShare,
  });
}

describe('on-demand priority in a delivery lane', () => {
  it('a read behind 40 queued scheduled runs goes first; scheduled runs hold at most their share and all finish', async () => {
    const lane = lanes(0.5);
    const finished: string[] = [];
    let scheduledAtDevice = 0;
    let mostScheduledAtOnce = 0;
    const scheduledRun = (i: number) =>
      lane.deliver(
        'NORTH',
        [],
        `run-${i}`,
        () => {
          scheduledAtDevice++;
          mostScheduledAtOnce = Math.max(mostScheduledAtOnce, lane.stats.NORTH.inFlight);
          return { result: `run-${i}`, executed: true };
        },
        true,
      );
    const runs = Array.from({ length: 40 }, (_, i) => scheduledRun(i).then((r) => finished.push(r)));
    // The runs fill their share (2 of 4 slots); the rest wait.
    expect(lane.stats.NORTH.inFlight).toBe(2);
    expect(lane.stats.NORTH.queued).toBe(38);
    const started = Date.now();
    const read = lane
      .deliver('NORTH', [], 'on-demand', () => ({ result: 'on-demand', executed: true }))
      .then((r) => finished.push(r));
    await read;
    // A free slot was there for it: it took one round trip, not the 20 the queue ahead of it needs.
    expect(Date.now() - started).toBeLessThan(ROUND_TRIP_MS * 4);
    expect(finished.indexOf('on-demand')).toBeLessThanOrEqual(2);
    await Promise.all(runs);
    expect(scheduledAtDevice).toBe(40);
    expect(mostScheduledAtOnce).toBeLessThanOrEqual(3); // 2 runs (+ the read while it was in flight)
    expect(lane.stats.NORTH).toMatchObject({ inFlight: 0, queued: 0, delivered: 41 });
  });

  it('a scheduled run’s delivery clock starts when it gets a slot: waiting behind others is no E20', async () => {
    const lane = new DeliveryLanes<'NORTH'>({
      lanes: ['NORTH'],
      models: {
        NORTH: { baseLatencyMs: 60, jitterMs: 0, lossRate: 0, attemptTimeoutMs: 1_000, concurrency: 1 },
      },
      targetResponseMs: 100, // shorter than the wait of the third run in the queue (2 × 60 ms)
      seed: 1,
      switches,
      laneSwitch: 'region',
      describe: (l) => `CSP region ${l}`,
      scheduledShare: 1,
    });
    const results = await Promise.allSettled(
      [0, 1, 2].map((i) =>
        lane.deliver('NORTH', [], `run-${i}`, () => ({ result: i, executed: true }), true),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    expect(lane.stats.NORTH.e20).toBe(0);
  });

  it('a freed slot goes to a waiting on-demand command before a waiting scheduled run', async () => {
    const lane = lanes(1); // scheduled runs may take every slot
    const order: string[] = [];
    const deliver = (id: string, scheduled: boolean) =>
      lane
        .deliver('NORTH', [], id, () => ({ result: id, executed: true }), scheduled)
        .then((r) => order.push(r));
    const first = Array.from({ length: 4 }, (_, i) => deliver(`run-${i}`, true));
    const waitingRuns = Array.from({ length: 4 }, (_, i) => deliver(`run-${4 + i}`, true));
    const reads = [deliver('read-a', false), deliver('read-b', false)];
    expect(lane.stats.NORTH.queued).toBe(6);
    await Promise.all([...first, ...waitingRuns, ...reads]);
    // The two reads queued after four runs, yet took the first slots freed.
    expect(order.slice(4, 6).sort()).toEqual(['read-a', 'read-b']);
    expect(order).toHaveLength(10);
  });
});
