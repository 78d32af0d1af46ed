import type { NatsConnection } from '@nats-io/transport-node';

/**
 * Whether the NATS connection is up right now, from the client's status events. While it is down (disconnected,
 * reconnecting), work that needs the bus should fail fast as UNAVAILABLE instead of waiting for a timeout, and
 * health checks should say NOT_SERVING.
 */
export class BusLink {
  private connected: boolean;
  private readonly listeners = new Set<(up: boolean) => void>();
  private readonly watcher: AsyncIterable<{ type: string }>;

  constructor(nc: NatsConnection) {
    this.connected = !nc.isClosed();
    const watcher = nc.status();
    this.watcher = watcher;
    void (async () => {
      for await (const status of watcher) {
        if (status.type === 'disconnect' || status.type === 'staleConnection') this.set(false);
        else if (status.type === 'reconnect') this.set(true);
        else if (status.type === 'close') this.set(false);
      }
    })();
    void nc.closed().then(() => this.set(false));
  }

  get up(): boolean {
    return this.connected;
  }

  /** Calls `listener` with every change (not with the current state). Returns the unsubscribe function. */
  onChange(listener: (up: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves when the link is up (at once if it is). */
  whenUp(): Promise<void> {
    if (this.connected) return Promise.resolve();
    return new Promise((resolve) => {
      const off = this.onChange((up) => {
        if (!up) return;
        off();
        resolve();
      });
    });
  }

  close(): void {
    // nc.status() hands out the client's queued iterator, which stops with stop() (the typing hides it).
    (this.watcher as Partial<{ stop(): void }>).stop?.();
    this.listeners.clear();
  }

  private set(up: boolean): void {
    if (up === this.connected) return;
    this.connected = up;
    for (const listener of [...this.listeners]) listener(up);
  }
}
