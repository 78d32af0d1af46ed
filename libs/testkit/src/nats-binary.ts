import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { delimiter, join } from 'node:path';

/**
 * Where the nats-server executable is: $NATS_SERVER_BIN, then PATH, then Go's install directory
 * (scripts/install-tools.sh puts it there with `go install`).
 */
export function natsServerBinary(env: NodeJS.ProcessEnv = process.env): string {
  return goToolBinary('nats-server', env.NATS_SERVER_BIN, env);
}

/** Where helm is (`scripts/install-tools.sh deploy`): $HELM_BIN, then PATH, then Go's install directory. */
export function helmBinary(env: NodeJS.ProcessEnv = process.env): string {
  return goToolBinary('helm', env.HELM_BIN, env);
}

function goToolBinary(name: string, override: string | undefined, env: NodeJS.ProcessEnv): string {
  const candidates = [
    override,
    ...(env.PATH ?? '').split(delimiter).map((dir) => join(dir, name)),
    env.GOBIN && join(env.GOBIN, name),
    join(env.GOPATH ?? join(homedir(), 'go'), 'bin', name),
  ].filter((c): c is string => Boolean(c));
  const lazyGoBin = (): string | undefined => {
    const dir = goBinDir();
    return dir && join(dir, name);
  };
  // Go's own answer last, because it runs the go tool.
  for (const candidate of [...candidates, lazyGoBin]) {
    const path = typeof candidate === 'function' ? candidate() : candidate;
    if (!path) continue;
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not here; try the next place
    }
  }
  throw new Error(`${name} not found (looked in ${candidates.join(', ')}); run: npm run tools -- all`);
}

/** Where `go install` puts binaries per the go tool itself (GOBIN, else GOPATH/bin), when Go is installed. */
function goBinDir(): string | undefined {
  try {
    const [gobin, gopath] = execFileSync('go', ['env', 'GOBIN', 'GOPATH'], { encoding: 'utf8' }).split('\n');
    if (gobin) return gobin;
    return gopath ? join(gopath, 'bin') : undefined;
  } catch {
    return undefined;
  }
}
