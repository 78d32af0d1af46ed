import { mkdirSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ActorRuntime,
  KvStateStore,
  LmdbStateStore,
  TieredStateStore,
  keyToken,
  removeConsumer,
  type ActorContext,
  type VirtualActor,
} from '@dcc/actors';
import { consumers, decode, extractTraceContext, inSpan, SpanKind, streams } from '@dcc/bus';
import { DccError, GrpcStatus, parseEui64 } from '@dcc/domain';
import { MeterDevice, type SimulatedFleet } from '@dcc/meter';
import { MeterCommand, type ServiceResponse } from '@dcc/proto';
import type { NatsConnection } from '@nats-io/transport-node';
import { context } from '@opentelemetry/api';
import type { createCommandHandler } from './command-handler.js';
import type { SupplierKeys } from './critical-verification.js';
import { execute, type MeterActor } from './meter-actors.js';

/** The reminder each meter keeps at `meter.nextWakeMs()` (future-dated commands, prepayment thresholds). */
export const WAKE_REMINDER = 'wake';

/** Prefix of the instances' METER_MAIL consumers: `meter-mail-s2-actors-<instance id>`. */
export const CONSUMER_PREFIX = `${consumers.meterMail('s2')}-actors`;

/**
 * A meter in the runtime: its device model (absent for a subject that is not a device id: such commands are
 * answered E20) and the wake time of its stored reminder as far as this activation knows (`null`: none; undefined:
 * not known yet).
 */
export interface MeterSlot {
  actor?: MeterActor;
  wake?: number | null;
}

export interface MeterActorKindOptions {
  fleet: SimulatedFleet;
  supplierKeys: SupplierKeys;
  handle: ReturnType<typeof createCommandHandler>;
  clock?: () => number;
  /** A command that can never be handled (malformed): dropped (acknowledged) after this is called. */
  onRejected?(error: DccError, subject: string | undefined): void;
  onExecuted?(): void;
}

/**
 * The SMETS2 meter as a virtual actor: state = `meter.toBytes()`, activation = `MeterDevice.fromState` (or a
 * fresh meter, derived from its id and the fleet seed, when nothing is stored). A command runs, its response is
 * stored on the User's stream, then the runtime stores the meter's state (write-through) and acknowledges.
 */
export function meterActorKind(options: MeterActorKindOptions): VirtualActor<MeterSlot> {
  const { fleet, supplierKeys, handle } = options;
  const clock = options.clock ?? Date.now;
  return {
    load(id, stored) {
      let deviceId;
      try {
        deviceId = parseEui64(id);
      } catch {
        return {}; // not a device id: its commands are answered E20
      }
      // Any SMETS2 device access control routes here is in the inventory: the simulated device is derived
      // from its id, whatever its number (no fleet range).
      const meter = stored
        ? MeterDevice.fromState(deviceId, fleet.seed, stored, clock)
        : new MeterDevice(deviceId, fleet.seed, clock);
      return { actor: { meter, dirty: false, recent: new Map() } };
    },
    save: (slot) => slot.actor!.meter.toBytes(),
    async receive(slot, message, ctx) {
      if (message.kind === 'reminder') return wake(slot, ctx);
      let command: MeterCommand;
      try {
        command = decode(MeterCommand, message.data, 'meter command');
      } catch (error) {
        options.onRejected?.(DccError.from(error), message.subject);
        return undefined;
      }
      try {
        await inSpan(
          'meter command process',
          SpanKind.CONSUMER,
          extractTraceContext(message.headers),
          { 'messaging.system': 'nats', 'messaging.destination.name': message.subject ?? '' },
          () => handle(command, (c) => run(slot, c)),
        );
      } catch (error) {
        const failure = DccError.from(error);
        if (failure.status !== GrpcStatus.INVALID_ARGUMENT) throw error; // redelivered
        options.onRejected?.(failure, message.subject);
        return undefined;
      }
      options.onExecuted?.();
      return changed(slot, ctx);
    },
  };

  function run(slot: MeterSlot, command: MeterCommand): Promise<ServiceResponse> {
    const actor = slot.actor;
    if (!actor) throw DccError.duis('E20', `no communications path to device ${command.deviceId}`);
    return inExecuteSpan(actor, command, () => execute(actor, command, clock, supplierKeys));
  }
}

function inExecuteSpan(
  actor: MeterActor,
  command: MeterCommand,
  work: () => ServiceResponse,
): Promise<ServiceResponse> {
  return inSpan(
    'meter execute',
    SpanKind.INTERNAL,
    context.active(),
    { 'dcc.device_id': actor.meter.deviceId, 'dcc.srv': command.request?.serviceReferenceVariant ?? '' },
    work,
  );
}

/** A state to store when the meter changed, after its wake reminder follows its next wake time. */
async function changed(slot: MeterSlot, ctx: ActorContext): Promise<MeterSlot | undefined> {
  const actor = slot.actor;
  if (!actor?.dirty) return undefined;
  await rearm(slot, ctx);
  actor.dirty = false;
  return slot;
}

async function wake(slot: MeterSlot, ctx: ActorContext): Promise<MeterSlot | undefined> {
  const actor = slot.actor;
  if (!actor) return undefined;
  // Future-dated commands that fell due execute now (0x8F66/0x8F67) and prepayment credit is settled. The
  // alerts this raises are dropped for now: unsolicited alerts have no route to Users yet (an alert stream is
  // the alerts issue's work); what they record in the meter's state is kept.
  actor.meter.advance();
  slot.wake = undefined; // the reminder that fired is deleted after this turn
  actor.dirty = true;
  return changed(slot, ctx);
}

async function rearm(slot: MeterSlot, ctx: ActorContext): Promise<void> {
  const next = slot.actor!.meter.nextWakeMs() ?? null;
  if (next === slot.wake) return;
  if (next === null) await ctx.cancelReminder(WAKE_REMINDER);
  else await ctx.remind(WAKE_REMINDER, next);
  slot.wake = next;
}

export interface MeterRuntimeSettings {
  instanceId: string;
  partitions: number;
  dataDir: string;
  leaseTtlMs: number;
  idleMs: number;
  maxActive: number;
  maxAckPending: number;
  reminderTickMs: number;
}

/** INSTANCE_ID default: host name and process id. */
export function defaultInstanceId(): string {
  return `${hostname()}-${process.pid}`;
}

/** DATA_DIR default: a directory per instance id under the OS temporary directory. */
export function defaultDataDir(instanceId: string): string {
  return join(tmpdir(), 'dcc-smets2-adapter', keyToken(instanceId));
}

/**
 * Starts the SMETS2 meter runtime over METER_MAIL (`dcc.meter.s2.<partition>.<device>`): partition leases,
 * one consumer per instance, meter state in JetStream KV (durable) with LMDB under `dataDir` as working set.
 */
export async function startMeterRuntime(
  nc: NatsConnection,
  settings: MeterRuntimeSettings,
  actor: VirtualActor<MeterSlot>,
  onError: (error: unknown, where: string) => void,
): Promise<{ runtime: ActorRuntime<MeterSlot>; store: TieredStateStore; legacyDeleted: boolean }> {
  // The single durable of before the runtime filters every SMETS2 partition: it would overlap.
  const legacyDeleted = await removeConsumer(nc, streams.meterMail.name, consumers.meterMail('s2'));
  mkdirSync(settings.dataDir, { recursive: true });
  const store = new TieredStateStore(
    new LmdbStateStore(settings.dataDir),
    await KvStateStore.open(nc, { bucket: 'meter_state_s2' }),
  );
  const runtime = await ActorRuntime.start<MeterSlot>({
    nc,
    instanceId: settings.instanceId,
    actor,
    store,
    partitions: settings.partitions,
    mail: {
      stream: streams.meterMail.name,
      filterSubject: (p) => `dcc.meter.s2.${p}.>`,
      consumerPrefix: CONSUMER_PREFIX,
      maxAckPending: settings.maxAckPending,
    },
    leases: { bucket: 'meter_leases_s2', ttlMs: settings.leaseTtlMs },
    reminders: { bucket: 'meter_reminders_s2', tickMs: settings.reminderTickMs },
    idleMs: settings.idleMs,
    maxActive: settings.maxActive,
    // A meter's commands wait in its mailbox rather than being refused and reordered.
    mailboxCapacity: settings.maxAckPending,
    onError,
  });
  return { runtime, store, legacyDeleted };
}
