import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { serviceNodeOptions } from './service-node-options.js';

/** Repository root (this file is libs/testkit/src or libs/testkit/dist). */
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export interface ServiceProcess {
  child: ChildProcess;
  /** Resolves with the exit code (signal-killed processes resolve with null). */
  exited: Promise<number | null>;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
}

/**
 * Runs a service's main.ts as its own OS process, straight from the TypeScript sources, so tests can send it real
 * signals. `entry` is relative to the repository root, e.g. "services/access-control/src/main.ts"; `args` are
 * its command-line arguments.
 */
export function startServiceProcess(
  entry: string,
  env: Record<string, string>,
  args: string[] = [],
): ServiceProcess {
  // SERVICE_CPU_PROF_DIR: each service process writes a V8 CPU profile there when it exits (performance work).
  const profileDir = process.env.SERVICE_CPU_PROF_DIR;
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const node = [
    ...serviceNodeOptions(ROOT),
    ...profile,
    '--conditions=@dcc/source',
    '--import',
    'tsx',
    entry,
    ...args,
  ];
  const child = spawn(process.execPath, node, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}
