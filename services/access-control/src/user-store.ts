import { jetStreamReplicas } from '@dcc/bus';
import { DccError, GrpcStatus, parseEui64, type Eui64 } from '@dcc/domain';
import { Kvm, KvWatchInclude, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Logger } from '@dcc/service-kit';
import type { User, UserDirectory, UserStatus } from './user-directory.js';

/** The durable record of admitted Users: one JSON value per User ID, with a short history. */
const BUCKET = 'USERS';

const encoder = new TextEncoder();
const encode = (user: User) => encoder.encode(JSON.stringify(user));

/**
 * Keeps the User directory in JetStream KV. Every access-control instance loads it at start and watches it,
 * so an admission or suspension made through any instance applies to all of them within moments, and survives
 * restarts. Users named in configuration are written once, when absent, and never overwrite the record.
 */
export class UserStore {
  private constructor(
    private readonly kv: KV,
    private readonly directory: UserDirectory,
    private readonly watcher: { stop(): void },
  ) {}

  static async open(nc: NatsConnection, directory: UserDirectory, bootstrap: readonly User[], log: Logger) {
    const kv = await new Kvm(nc).create(BUCKET, { history: 10, replicas: jetStreamReplicas() });
    for (const user of bootstrap) {
      try {
        await kv.create(user.id, encode(user));
      } catch (error) {
        if (!/wrong last sequence|key exists/i.test((error as Error).message)) throw error;
      }
    }
    for await (const key of await kv.keys()) {
      const entry = await kv.get(key);
      if (entry?.operation === 'PUT') directory.apply(entry.json<User>());
    }
    const updates = await kv.watch({ include: KvWatchInclude.UpdatesOnly });
    void (async () => {
      for await (const entry of updates) {
        if (entry.operation === 'PUT') directory.apply(entry.json<User>());
        else directory.remove(entry.key);
        log.info({ userId: entry.key, operation: entry.operation }, 'user directory changed');
      }
    })();
    return new UserStore(kv, directory, updates);
  }

  /** Admits (or re-admits with new roles and keys) a User. */
  async admit(user: User): Promise<User> {
    const admitted: User = { ...user, status: 'admitted' };
    delete admitted.statusReason;
    await this.kv.put(admitted.id, encode(admitted));
    this.directory.apply(admitted);
    return admitted;
  }

  /** Suspends or reinstates an admitted User; NOT_FOUND when it was never admitted. */
  async setStatus(id: Eui64, status: UserStatus, reason = ''): Promise<User> {
    const entry = await this.kv.get(parseEui64(id, 'user_id'));
    if (!entry || entry.operation !== 'PUT')
      throw new DccError(GrpcStatus.NOT_FOUND, `User ${id} is not admitted`);
    const updated: User = {
      ...entry.json<User>(),
      status,
      ...(status === 'suspended' ? { statusReason: reason } : {}),
    };
    if (status === 'admitted') delete updated.statusReason;
    // Revision-checked, so a concurrent change on another instance is not silently overwritten.
    await this.kv.update(id, encode(updated), entry.revision);
    this.directory.apply(updated);
    return updated;
  }

  stop(): void {
    this.watcher.stop();
  }
}
