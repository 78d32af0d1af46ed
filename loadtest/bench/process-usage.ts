import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/**
 * CPU time (ms, user + system) of this process's direct children named `command`, from /proc (Linux only;
 * undefined elsewhere or when there is no such child). Used for the nats-server the harness starts.
 */
export function childCpuMs(command: string): number | undefined {
  let total: number | undefined;
  for (const child of children(command)) total = (total ?? 0) + child.cpuMs;
  return total;
}

/** The process ids of this process's direct children named `command` (Linux only; empty elsewhere). */
export function childPids(command: string): number[] {
  return [...children(command)].map((child) => child.pid);
}

function* children(command: string): Generator<{ pid: number; cpuMs: number }> {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    const open = stat.indexOf('(');
    const close = stat.lastIndexOf(')');
    if (stat.slice(open + 1, close) !== command) continue;
    // Fields after "(comm)": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
    const fields = stat.slice(close + 2).split(' ');
    if (Number(fields[1]) !== process.pid) continue;
    yield { pid: Number(entry), cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1_000) / clockTicks() };
  }
}

/** CPU time (ms, user + system) of one process by pid, from /proc (Linux only; undefined when unreadable). */
export function pidCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1_000) / clockTicks();
  } catch {
    return undefined;
  }
}
