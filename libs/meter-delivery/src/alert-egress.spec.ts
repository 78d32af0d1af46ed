import type { ActorContext, ActorMessage } from '@dcc/actors';
import { DurablePublisher, ensureHubStreams, Requester, streams, subjects } from '@dcc/bus';
import { parseEui64, type Eui64 } from '@dcc/domain';
import { MeterDevice } from '@dcc/meter';
import { AlertOccasion, DeviceAlertRaised } from '@dcc/proto';
import { startNatsServer, type NatsServer } from '@dcc/testkit';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SupplierKeys } from './critical-verification.js';
import { DeliveryActor } from './delivery-actor.js';
import type { DeviceTransport } from './device-transport.js';

const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
const DEVICE = parseEui64('00-DB-12-00-00-00-00-03');
const START = Date.UTC(2026, 0, 5, 12);
let now = START;
const clock = () => now;

/** A transport to simulated meters on the test's clock, as an adapter's would be. */
const meters: DeviceTransport<MeterDevice> = {
  open: (id: Eui64, stored) =>
    stored ? MeterDevice.fromState(id, 0, stored, clock) : new MeterDevice(id, 0, clock),
  save: (meter) => meter.toBytes(),
  trustedSupplier: (meter) => meter.inspect().trust ?? meter.profile.trustedSupplier,
  send: (meter, command) => meter.run(command),
  nextWakeMs: (meter) => meter.nextWakeMs(),
  wake: (meter) => meter.advance().alerts,
};

const context: ActorContext = {
  actorId: DEVICE,
  partition: 0,
  instanceId: 'test',
  remind: () => Promise.resolve(),
  cancelReminder: () => Promise.resolve(),
};
const reminder: ActorMessage = { kind: 'reminder', actorId: DEVICE, partition: 0, data: new Uint8Array() };

let nats: NatsServer;
let nc: NatsConnection;
let requester: Requester;
let actor: DeliveryActor<MeterDevice>;

beforeAll(async () => {
  nats = await startNatsServer();
  nc = await connect({ servers: nats.url });
  await ensureHubStreams(nc);
  requester = new Requester(nc);
  actor = new DeliveryActor({
    transport: meters,
    supplierKeys: new SupplierKeys(),
    publisher: new DurablePublisher(requester),
    log: { error: () => undefined },
    clock,
  });
});

afterAll(async () => {
  requester?.close();
  await nc?.close();
  await nats?.stop();
});

async function storedAlerts(): Promise<DeviceAlertRaised[]> {
  const jsm = await jetstreamManager(nc);
  const info = await jsm.streams.info(streams.alerts.name);
  const found: DeviceAlertRaised[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    const message = await jsm.streams.getMessage(streams.alerts.name, { seq });
    if (message?.subject === subjects.deviceAlert(DEVICE)) found.push(DeviceAlertRaised.decode(message.data));
  }
  return found;
}

describe('alert egress on wake', () => {
  it("stores a future-dated command's outcome raised by the reminder, once even when the wake is redelivered", async () => {
    // The device holds a future-dated 1.6 (to prepayment) due in a minute.
    const meter = new MeterDevice(DEVICE, 0, clock);
    const requestId = `${SUPPLIER}:${DEVICE}:42`;
    const scheduled = meter.run({
      srv: '1.6',
      params: { mode: 'prepayment' },
      executionTimeMs: START + 60_000,
      requestId,
      // Verified as the device's trusted supplier (the delivery library checks the signature before this).
      signer: meter.profile.trustedSupplier,
    });
    expect(scheduled.outcome).toBe('scheduled');
    expect(meter.nextWakeMs()).toBe(START + 60_000);
    const before = meter.toBytes();

    // The reminder fires: the command executes and 8F66 is stored on ALERTS before the turn ends.
    now = START + 61_000;
    const slot = actor.load(DEVICE, before);
    expect(await actor.receive(slot, reminder, context)).toBeDefined();
    const first = await storedAlerts();
    // Prepayment in force from then on raises its credit alerts on the same wake, timed as they occurred.
    expect(first.every((e) => e.occasion === AlertOccasion.ALERT_OCCASION_WAKE)).toBe(true);
    expect(first.filter((e) => e.alert?.code === '8F66')).toEqual([
      {
        deviceId: DEVICE,
        alert: { code: '8F66', atMs: START + 60_000, requestId },
        raisedAtMs: START + 61_000,
        occasion: AlertOccasion.ALERT_OCCASION_WAKE,
        commandRequestId: '',
      },
    ]);

    // The turn's state was never stored (a crash before the write): the reminder fires again on the state
    // before, the device raises the same alerts, and the stream keeps one of each.
    now = START + 62_000;
    await actor.receive(actor.load(DEVICE, before), reminder, context);
    const after = await storedAlerts();
    expect(after.filter((e) => e.alert?.code === '8F66')).toHaveLength(1);
    const identity = (e: DeviceAlertRaised) => `${e.alert?.code}@${e.alert?.atMs}`;
    expect(new Set(after.map(identity)).size).toBe(after.length);
    expect(after.slice(0, first.length)).toEqual(first);
  });

  it('stores nothing when a wake raises no alert', async () => {
    const count = (await storedAlerts()).length;
    const quiet = actor.load(DEVICE, new MeterDevice(DEVICE, 0, clock).toBytes());
    await actor.receive(quiet, reminder, context);
    expect(await storedAlerts()).toHaveLength(count);
  });
});

describe("a device's link between turns", () => {
  /** The same transport, recording when the actor saves a link and when it lets it rest. */
  function recording() {
    const calls: string[] = [];
    const transport: DeviceTransport<MeterDevice> = {
      ...meters,
      save: (meter) => (calls.push('save'), meters.save(meter)),
      rest: () => void calls.push('rest'),
    };
    const recorder = new DeliveryActor({
      transport,
      supplierKeys: new SupplierKeys(),
      publisher: new DurablePublisher(requester),
      log: { error: () => undefined },
      clock,
    });
    return { calls, recorder };
  }

  it('rests after a changed turn only once the runtime has its bytes, and after a turn that changed nothing', async () => {
    const { calls, recorder } = recording();
    // A wake stores the device's state: save (what the runtime stores), then rest.
    const slot = recorder.load(DEVICE, new MeterDevice(DEVICE, 0, clock).toBytes());
    const changed = await recorder.receive(slot, reminder, context);
    expect(changed).toBe(slot);
    expect(calls).toEqual([]); // nothing dropped before the runtime saved it
    recorder.save(changed!);
    expect(calls).toEqual(['save', 'rest']);
    // Mail that changes nothing (malformed, dropped): the link rests at the end of the turn.
    const mail: ActorMessage = {
      kind: 'mail',
      actorId: DEVICE,
      partition: 0,
      data: new Uint8Array([0xff, 0xff]),
    };
    expect(await recorder.receive(slot, mail, context)).toBeUndefined();
    expect(calls).toEqual(['save', 'rest', 'rest']);
  });
});
