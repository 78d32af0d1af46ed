import {
  connect,
  nkeyAuthenticator,
  usernamePasswordAuthenticator,
  type Authenticator,
  type NatsConnection,
} from '@nats-io/transport-node';
import { readFileSync } from 'node:fs';
import type { Logger } from './logger.js';

/** The settings that say how a service proves itself to nats-server (none: no credentials). */
export interface NatsCredentialSettings {
  NATS_NKEY_SEED_FILE?: string | undefined;
  NATS_USER?: string | undefined;
  NATS_PASSWORD?: string | undefined;
}

/** The authenticator for these settings; the seed is read once, at connect time. */
export function natsAuthenticator(settings: NatsCredentialSettings): Authenticator | undefined {
  if (settings.NATS_NKEY_SEED_FILE) {
    const seed = readFileSync(settings.NATS_NKEY_SEED_FILE, 'utf8').trim();
    return nkeyAuthenticator(new TextEncoder().encode(seed));
  }
  if (settings.NATS_USER && settings.NATS_PASSWORD) {
    return usernamePasswordAuthenticator(settings.NATS_USER, settings.NATS_PASSWORD);
  }
  return undefined;
}

/** Connects to NATS and keeps reconnecting for ever; a service without its bus is useless but must not die. */
export async function connectNats(
  url: string,
  name: string,
  log: Logger,
  credentials: NatsCredentialSettings = {},
): Promise<NatsConnection> {
  const authenticator = natsAuthenticator(credentials);
  const nc = await connect({
    servers: url.split(','),
    name,
    ...(authenticator ? { authenticator } : {}),
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
