import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { natsServerBinary } from '@dcc/testkit';

export interface MachineFacts {
  cpus: number;
  cpuModel: string;
  totalMemoryGiB: number;
  node: string;
  natsServer: string;
  platform: string;
}

/** What the figures were measured on. */
export function machineFacts(): MachineFacts {
  let natsServer = 'unknown';
  try {
    const out = execFileSync(natsServerBinary(), ['--version'], { encoding: 'utf8' }).trim();
    natsServer = out.replace(/^nats-server:\s*/, '');
  } catch {
    // reported as unknown; the benchmarks that need it fail on their own
  }
  const all = cpus();
  return {
    cpus: all.length,
    cpuModel: all[0]?.model.trim() ?? 'unknown',
    totalMemoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    natsServer,
    platform: `${process.platform} ${process.arch}`,
  };
}
