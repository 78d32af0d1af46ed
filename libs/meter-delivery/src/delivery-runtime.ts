import { mkdirSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActorRuntime, JournalStateStore, keyToken, removeConsumer, type VirtualActor } from '@dcc/actors';
import { consumers, streams, type MeterPath } from '@dcc/bus';
import type { NatsConnection } from '@nats-io/transport-node';
import type { DeliveryConfig } from './delivery-config.js';
import { observeDeliveryRuntime } from './delivery-metrics.js';
import { isDeviceEdgeMail } from './device-edge-mail.js';

/** Names of one delivery path's consumers and buckets, all derived from the path (`s1` or `s2`). */
export function deliveryNames(path: MeterPath) {
  return {
    /** The instances' METER_MAIL consumers are `meter-mail-<path>-actors-<instance id>`. */
    consumerPrefix: `${consumers.meterMail(path)}-actors`,
    /** The single durable of before the actor runtime; it would overlap the instances' filters. */
    legacyConsumer: consumers.meterMail(path),
    filterSubject: (partition: number) => `dcc.meter.${path}.${partition}.>`,
    leases: `meter_leases_${path}`,
    /** The stream journaling device states, one subject per partition (JournalStateStore). */
    state: `METER_STATE_${path.toUpperCase()}`,
    /** The KV bucket of one key per device that held device states before the journal; imported, then emptied. */
    legacyState: `meter_state_${path}`,
    reminders: `meter_reminders_${path}`,
  };
}

export interface DeliveryRuntimeSettings {
  instanceId: string;
  partitions: number;
  dataDir: string;
  leaseTtlMs: number;
  idleMs: number;
  maxActive: number;
  maxAckPending: number;
  reminderTickMs: number;
}

/**
 * The runtime settings from an adapter's configuration (delivery-config.ts). `service` names the adapter: the
 * defaults are INSTANCE_ID `<hostname>-<pid>` and DATA_DIR `<os tmpdir>/dcc-<service>/<instance id>`.
 */
export function deliverySettings(config: DeliveryConfig, service: string): DeliveryRuntimeSettings {
  const instanceId = config.INSTANCE_ID ?? `${hostname()}-${process.pid}`;
  return {
    instanceId,
    partitions: config.METER_PARTITIONS,
    dataDir: config.DATA_DIR ?? join(tmpdir(), `dcc-${service}`, keyToken(instanceId)),
    leaseTtlMs: config.LEASE_TTL_MS,
    idleMs: config.ACTOR_IDLE_MS,
    maxActive: config.MAX_ACTIVE_ACTORS,
    maxAckPending: config.MAX_COMMANDS_IN_FLIGHT,
    reminderTickMs: config.REMINDER_TICK_MS,
  };
}

export interface DeliveryRuntime<S> {
  runtime: ActorRuntime<S>;
  store: JournalStateStore;
  /** Whether the single durable of earlier releases was found and deleted. */
  legacyDeleted: boolean;
  /** Graceful stop: stops pulling, finishes running commands, releases the partition leases, closes the store. */
  stop(): Promise<void>;
}

/**
 * Starts the device actors of one delivery path over METER_MAIL (`dcc.meter.<path>.<partition>.<device>`):
 * partition leases, one consumer per instance, device state journaled per partition on JetStream (durable)
 * with LMDB under `dataDir` as working set, durable wake reminders.
 */
export async function startDeliveryRuntime<S>(
  nc: NatsConnection,
  path: MeterPath,
  settings: DeliveryRuntimeSettings,
  actor: VirtualActor<S>,
  onError: (error: unknown, where: string) => void,
): Promise<DeliveryRuntime<S>> {
  const names = deliveryNames(path);
  const legacyDeleted = await removeConsumer(nc, streams.meterMail.name, names.legacyConsumer);
  mkdirSync(settings.dataDir, { recursive: true });
  const store = await JournalStateStore.open(nc, {
    stream: names.state,
    dir: settings.dataDir,
    legacyKvBucket: names.legacyState,
    onError: (error, where) => onError(error, where),
  });
  const runtime = await ActorRuntime.start<S>({
    nc,
    instanceId: settings.instanceId,
    actor,
    store,
    partitions: settings.partitions,
    mail: {
      stream: streams.meterMail.name,
      filterSubject: names.filterSubject,
      consumerPrefix: names.consumerPrefix,
      maxAckPending: settings.maxAckPending,
    },
    leases: { bucket: names.leases, ttlMs: settings.leaseTtlMs },
    reminders: { bucket: names.reminders, tickMs: settings.reminderTickMs },
    idleMs: settings.idleMs,
    maxActive: settings.maxActive,
    // A device's commands wait in its mailbox rather than being refused and reordered.
    mailboxCapacity: settings.maxAckPending,
    // A keypad entry or a network event at the premises does not wait for a command the WAN holds.
    overtakes: (message) => isDeviceEdgeMail(message.headers),
    onError,
  });
  const unobserve = observeDeliveryRuntime(nc, path, runtime);
  return {
    runtime,
    store,
    legacyDeleted,
    async stop() {
      unobserve();
      await runtime.stop();
      await store.close();
    },
  };
}
