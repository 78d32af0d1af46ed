import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/**
 * Where the nats-server executable is: $NATS_SERVER_BIN, then PATH, then Go's install directory
 * (scripts/install-tools.sh puts it there with `go install`).
 */
export function natsServerBinary(env: NodeJS.ProcessEnv = process.env): string {
  const candidates = [
    env.NATS_SERVER_BIN,
    ...(env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'nats-server')),
    env.GOBIN && join(env.GOBIN, 'nats-server'),
    join(env.GOPATH ?? join(homedir(), 'go'), 'bin', 'nats-server'),
  ].filter((c): c is string => Boolean(c));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; try the next place
    }
  }
  throw new Error(`nats-server not found (looked in ${candidates.join(', ')}); run: npm run tools`);
}
