export { ActorHost, MailboxFullError, type ActorBehaviour, type ActorHostOptions } from './actor-host.js';
export { ActorRuntime } from './actor-runtime.js';
export {
  PartitionRevokedError,
  type ActorContext,
  type ActorMessage,
  type ActorRuntimeOptions,
  type MailOptions,
  type RuntimeStats,
  type VirtualActor,
} from './actor-types.js';
export { removeConsumer, subjectsCollide } from './consumer-admin.js';
export { DEFAULT_PARTITIONS, fromKeyToken, keyToken, partitionOfActor } from './keys.js';
export { PartitionLeases, type PartitionLeasesOptions } from './partition-leases.js';
export { ReminderStore, type DueReminder } from './reminders.js';
export {
  KvStateStore,
  LmdbStateStore,
  MemoryStateStore,
  TieredStateStore,
  type KvStateStoreOptions,
  type StateStore,
} from './state-store.js';
