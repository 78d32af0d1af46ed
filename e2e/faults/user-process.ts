import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Received } from './response-reader.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY = 'e2e/faults/reader-process.ts';

/** The User's response reader as a child process (reader-process.ts) that can be stopped and killed. */
export class UserProcess {
  private child: ChildProcess | undefined;

  constructor(
    private readonly address: string,
    private readonly userId: string,
    private readonly onResponse: (response: Received) => void,
  ) {}

  start(): void {
    const child = spawn(process.execPath, ['--conditions=@dcc/source', '--import', 'tsx', ENTRY], {
      cwd: ROOT,
      env: { ...process.env, HUB_ADDRESS: this.address, USER_ID: this.userId },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let pending = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      const lines = (pending + chunk.toString()).split('\n');
      pending = lines.pop()!;
      for (const line of lines) if (line) this.onResponse(JSON.parse(line) as Received);
    });
    this.child = child;
  }

  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  /** kill -9; resolves once the process is gone and everything it printed has been read. */
  async kill(): Promise<void> {
    await this.end('SIGKILL');
  }

  async stop(): Promise<void> {
    await this.end('SIGTERM');
  }

  private async end(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const closed = new Promise((resolve) => child.once('close', resolve)); // stdout fully read
    child.kill(signal);
    await closed;
  }
}
