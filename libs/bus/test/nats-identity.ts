import {
  connect,
  errors,
  nkeyAuthenticator,
  type NatsConnection,
  type PermissionViolationError,
} from '@nats-io/transport-node';
import { readFileSync } from 'node:fs';

/** Connects to `url` as the identity whose nkey seed the hub wrote to `seedFile`. */
export function connectWithSeed(url: string, seedFile: string): Promise<NatsConnection> {
  const seed = new TextEncoder().encode(readFileSync(seedFile, 'utf8').trim());
  return connect({ servers: url, authenticator: nkeyAuthenticator(seed) });
}

/** Permission violations the server reports on a connection, collected as they arrive. */
export function permissionViolations(nc: NatsConnection): PermissionViolationError[] {
  const seen: PermissionViolationError[] = [];
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === 'error' && s.error instanceof errors.PermissionViolationError) seen.push(s.error);
    }
  })();
  return seen;
}
