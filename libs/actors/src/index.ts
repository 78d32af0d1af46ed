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
export { JournalStateStore, type JournalStateStoreOptions } from './journal-state-store.js';
export { DEFAULT_PARTITIONS, fromKeyToken, keyToken, partitionOfActor } from './keys.js';
export { PartitionLeases, type PartitionLeasesOptions } from './partition-leases.js';
export { ReminderStore, type DueReminder } from './reminders.js';
export { LmdbStateStore, MemoryStateStore, type StateStore } from './state-store.js';
