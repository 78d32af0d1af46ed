import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { natsServerBinary } from './nats-binary.js';

export interface NatsServer {
  url: string;
  port: number;
  storeDir: string;
  /** Kills the server abruptly (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  /** Starts it again on the same port and store: JetStream state survives. */
  restart(): Promise<void>;
  /** Stops it and removes its store. */
  stop(): Promise<void>;
}

/**
 * A real nats-server with JetStream on a free loopback port and a fresh temporary store. `config`: extra
 * nats-server configuration text (e.g. `ping_interval: "1s"` so a stopped client is found stale quickly).
 */
export async function startNatsServer(options: { port?: number; config?: string } = {}): Promise<NatsServer> {
  const port = options.port ?? (await freePort());
  const storeDir = mkdtempSync(join(tmpdir(), 'dcc-nats-'));
  const binary = natsServerBinary();
  const extra: string[] = [];
  if (options.config) {
    const file = join(storeDir, 'extra.conf');
    writeFileSync(file, options.config);
    extra.push('-c', file);
  }
  let child = await launch(binary, port, storeDir, extra);
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    storeDir,
    kill: async () => terminate(child, 'SIGKILL'),
    restart: async () => {
      await terminate(child, 'SIGKILL');
      child = await launch(binary, port, storeDir, extra);
    },
    stop: async () => {
      await terminate(child, 'SIGTERM');
      rmSync(storeDir, { recursive: true, force: true });
    },
  };
}

function launch(binary: string, port: number, storeDir: string, extra: string[]): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, [...extra, '-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`nats-server did not become ready on port ${port}:\n${output}`));
    }, 15_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Server is ready')) {
        clearTimeout(timer);
        child.stderr!.removeAllListeners('data');
        child.stderr!.resume();
        resolve(child);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`nats-server exited with ${code} before it was ready:\n${output}`));
    });
  });
}

function terminate(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}
