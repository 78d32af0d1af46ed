import { KvCounterMarks } from '@dcc/access-control';
import { DirectKv, Requester } from '@dcc/bus';
import { startNatsServer } from '@dcc/testkit';
import { Kvm } from '@nats-io/kv';
import { connect } from '@nats-io/transport-node';
import { childCpuMs } from '../process-usage.js';

/**
 * The replay check's read of a pair not cached (every read of a meter not addressed since access control
 * started: the benchmark's random meters, a nightly collection), one direct get per read (as before) against
 * KvCounterMarks' coalesced reads (batched direct gets under load), in the same run against the same bucket,
 * alternating. Half the pairs hold a mark. CPU of this process and of nats-server per read, median of the rounds.
 *
 *   npm run bench:replay-read -w @dcc/loadtest      (REPLAY_OPS, REPLAY_CONCURRENCY, REPLAY_ROUNDS)
 */
const OPS = Number(process.env.REPLAY_OPS ?? 20_000);
const CONCURRENCY = Number(process.env.REPLAY_CONCURRENCY ?? 500);
const ROUNDS = Number(process.env.REPLAY_ROUNDS ?? 3);

const server = await startNatsServer();
const nc = await connect({ servers: server.url });
const requester = new Requester(nc);
const marks = await KvCounterMarks.open(nc, requester, 1);
const direct = await DirectKv.of(requester, await new Kvm(nc).open('REQUEST_COUNTERS'));
const pair = (n: number) =>
  `90-B3-D5-1F-30-01-00-00.00-DB-12-${n
    .toString(16)
    .toUpperCase()
    .padStart(10, '0')
    .replace(/(..)(?=.)/g, '$1-')}`;
for (let n = 0; n < OPS; n += 2) await marks.advance(pair(n), 1n);

type Path = (key: string) => Promise<unknown>;
const paths: Record<string, Path> = {
  'one direct get per read': (key) => direct.get(key),
  'coalesced (KvCounterMarks)': (key) => marks.read(key),
};

async function measure(path: Path): Promise<{ clientUs: number; natsUs: number; perSecond: number }> {
  let next = 0;
  const cpu = process.cpuUsage();
  const nats = childCpuMs('nats-server') ?? NaN;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < OPS) await path(pair(next++));
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  const natsMs = (childCpuMs('nats-server') ?? NaN) - nats;
  return {
    clientUs: (used.user + used.system) / OPS,
    natsUs: (natsMs * 1_000) / OPS,
    perSecond: OPS / seconds,
  };
}

const runs: Record<string, { clientUs: number; natsUs: number; perSecond: number }[]> = {};
for (let round = 0; round < ROUNDS; round++) {
  const names = round % 2 === 0 ? Object.keys(paths) : Object.keys(paths).reverse();
  for (const name of names) {
    const m = await measure(paths[name]!);
    (runs[name] ??= []).push(m);
    console.log(
      `round ${round + 1} ${name.padEnd(27)} client ${m.clientUs.toFixed(1)} µs/read, nats-server ` +
        `${m.natsUs.toFixed(1)} µs/read, ${Math.round(m.perSecond)} reads/s`,
    );
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const [name, rs] of Object.entries(runs)) {
  console.log(
    `median ${name.padEnd(27)} client ${median(rs.map((r) => r.clientUs)).toFixed(1)} µs/read, nats-server ` +
      `${median(rs.map((r) => r.natsUs)).toFixed(1)} µs/read`,
  );
}
requester.close();
await nc.close();
await server.stop();
process.exit(0);
