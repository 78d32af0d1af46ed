import type { MeterPath } from '@dcc/bus';
import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';

/** The JetStream KV bucket that holds what operators switched off, for every adapter instance of every path. */
export const SWITCHES_BUCKET = 'adapter_switches';

type Watcher = Awaited<ReturnType<KV['watch']>>;

/**
 * What an operator has switched off on a delivery path (a CSP region or SMETS1 cohort out of service, a comms
 * hub unavailable), held in JetStream KV so it holds for every instance of the adapter, not only the one whose
 * operations API was called: key `<path>.<kind>.<name>` present = off, absent = on. Each instance keeps a local
 * view (read on every command, no round trip) that a KV watch keeps current; the instance that makes a change
 * applies it to its view once KV has stored it, the others within the watch's delivery (milliseconds).
 * Durable too: an instance started later, or restarted, starts from what is switched off.
 */
export class SharedSwitches {
  private readonly off = new Set<string>();
  private watcher?: Watcher;

  private constructor(
    private readonly kv: KV,
    private readonly path: MeterPath,
  ) {}

  /**
   * `onError` hears of a watch that ended with an error (the connection closed under it): the view then stays
   * as last seen, and the service's own connection handling (drain, restart) takes over.
   */
  static async open(
    nc: NatsConnection,
    path: MeterPath,
    onError: (error: unknown) => void = () => undefined,
  ): Promise<SharedSwitches> {
    const self = new SharedSwitches(await new Kvm(nc).create(SWITCHES_BUCKET, { history: 1 }), path);
    // What is off already, before the first command is taken; the watch then follows changes.
    for await (const key of await self.kv.keys(`${path}.>`)) self.off.add(key);
    self.watcher = await self.kv.watch({ key: `${path}.>` });
    self.follow(self.watcher).catch(onError);
    return self;
  }

  isOff(kind: string, name: string): boolean {
    return this.off.has(this.key(kind, name));
  }

  /** The names of one kind switched off now, sorted. */
  offNames(kind: string): string[] {
    const prefix = `${this.path}.${kind}.`;
    return [...this.off]
      .filter((k) => k.startsWith(prefix))
      .map((k) => k.slice(prefix.length))
      .sort();
  }

  /** Switches one thing on or off for every instance; `by` (the operator) is stored with an off switch. */
  async set(kind: string, name: string, on: boolean, by = ''): Promise<void> {
    const key = this.key(kind, name);
    if (on) {
      await this.kv.delete(key);
      this.off.delete(key);
    } else {
      await this.kv.put(key, JSON.stringify({ by, atMs: Date.now() }));
      this.off.add(key);
    }
  }

  stop(): void {
    this.watcher?.stop();
  }

  private key(kind: string, name: string): string {
    return `${this.path}.${kind}.${name}`;
  }

  private async follow(watcher: Watcher): Promise<void> {
    for await (const entry of watcher) {
      if (entry.operation === 'PUT') this.off.add(entry.key);
      else this.off.delete(entry.key);
    }
  }
}
