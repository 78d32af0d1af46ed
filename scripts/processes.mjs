// Process lifecycle of `npm start`: nats-server and each service run in their own session (a new process group,
// detached from the terminal), so the SIGINT a terminal sends to its foreground group on Ctrl-C reaches this
// script alone. This script then stops them in order, services first (each drains against a live bus), the
// last started first, and nats-server only after every service exited.
import { spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';

/** How long a service may take to drain before it is killed (its own DRAIN_TIMEOUT_MS is shorter). */
const STOP_TIMEOUT_MS = 20_000;

export class Processes {
  #children = [];
  #stopping;

  /**
   * Starts `command` detached, its output appended to `logFile` (its own file descriptor: the child never
   * writes through this script, so it cannot be hurt by this script's exit). `onExit` is called when it exits
   * on its own, not when stopped here.
   */
  launch(name, command, args, { cwd, env, logFile, onExit }) {
    const log = openSync(logFile, 'a');
    const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', log, log] });
    closeSync(log);
    const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
    const entry = { name, child, exited };
    void exited.then((how) => {
      if (!this.#stopping) onExit?.(how);
    });
    this.#children.push(entry);
    return child;
  }

  /** Stops everything in reverse start order, each one only after the one before exited; idempotent. */
  stopAll(report = () => undefined) {
    this.#stopping ??= (async () => {
      for (const { name, child, exited } of [...this.#children].reverse()) {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
          await exited;
          clearTimeout(timer);
        }
        report(name);
      }
    })();
    return this.#stopping;
  }
}

/** Runs `stop` once on the first of SIGINT, SIGTERM or SIGHUP; repeated signals while stopping are ignored. */
export function onTerminationSignals(stop) {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => void stop());
}
