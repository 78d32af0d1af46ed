import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from './logger.js';

/** Connects to NATS and keeps reconnecting for ever; a service without its bus is useless but must not die. */
export async function connectNats(url: string, name: string, log: Logger): Promise<NatsConnection> {
  const nc = await connect({
    servers: url.split(','),
    name,
    maxReconnectAttempts: -1,
    // Services and nats-server start in any order (Kubernetes, `npm start`): keep trying the first connection too.
    waitOnFirstConnect: true,
    reconnectTimeWait: 500,
    // A server that stops answering without closing the socket (stopped process, partition) is declared stale after
    // about 15 s (the client's default is 4 minutes), so health turns NOT_SERVING and work fails fast meanwhile.
    pingInterval: 5_000,
    maxPingOut: 3,
    // Async stack traces cost an Error per request; the hub's own errors carry their context.
    noAsyncTraces: true,
  });
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect' || status.type === 'reconnect' || status.type === 'error') {
        log.warn({ nats: status.type }, `NATS ${status.type}`);
      }
    }
  })();
  return nc;
}
