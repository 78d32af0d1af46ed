import { AuthoriseBatcher } from '@dcc/access-control';
import { requestTyped, Requester, subjects } from '@dcc/bus';
import { startLocalHub } from '@dcc/e2e';
import { SimulatedFleet } from '@dcc/meter';
import { AuthoriseRegistrationRequest, AuthoriseRegistrationResponse, UserRole } from '@dcc/proto';
import { connect } from '@nats-io/transport-node';
import { childCpuMs } from '../process-usage.js';
import { SUPPLIER } from '../config.js';

/**
 * Registration checks one message each (`dcc.registration.authorise`, as before) against the same checks through
 * access control's AuthoriseBatcher, in the same run and process against the same registration service and
 * nats-server, alternating, so the machine's load cancels out of the comparison. The figure is CPU per check:
 * this process (the asking side and registration's answering side: the hub runs in this process) plus
 * nats-server. Printed, not recorded in the docs (docs/performance.md quotes it).
 *
 *   npm run bench:authorise-batch -w @dcc/loadtest      (CHECKS, CHECK_CONCURRENCY, CHECK_ROUNDS)
 */
const CHECKS = Number(process.env.CHECKS ?? 20_000);
const CONCURRENCY = Number(process.env.CHECK_CONCURRENCY ?? 200);
const ROUNDS = Number(process.env.CHECK_ROUNDS ?? 4);
const METERS = 1_000;

const hub = await startLocalHub({ meters: METERS });
const nc = await connect({ servers: hub.nats.url });
const requester = new Requester(nc);
const batcher = new AuthoriseBatcher(requester, 5_000);
const fleet = new SimulatedFleet(METERS);
const devices = Array.from({ length: METERS }, (_, i) => fleet.deviceId(i));
const check = (n: number): AuthoriseRegistrationRequest => ({
  userId: SUPPLIER,
  userRole: UserRole.USER_ROLE_IMPORT_SUPPLIER,
  deviceId: devices[n % METERS]!,
  instantMs: Date.now(),
});

type Path = (request: AuthoriseRegistrationRequest) => Promise<AuthoriseRegistrationResponse>;
const paths: Record<string, Path> = {
  'one message each': (message) =>
    requestTyped(
      requester,
      subjects.registrationAuthorise,
      { codec: AuthoriseRegistrationRequest, message },
      AuthoriseRegistrationResponse,
      5_000,
    ),
  AuthoriseBatcher: (message) => batcher.ask(message),
};

async function measure(path: Path): Promise<{ processUs: number; natsUs: number; perSecond: number }> {
  let next = 0;
  let refused = 0;
  const cpu = process.cpuUsage();
  const nats = childCpuMs('nats-server') ?? 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < CHECKS) if ((await path(check(next++))).responseCode !== '') refused++;
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  if (refused > 0)
    throw new Error(`${refused} checks refused: the estate does not hold the meters asked for`);
  return {
    processUs: (used.user + used.system) / CHECKS,
    natsUs: (((childCpuMs('nats-server') ?? 0) - nats) * 1_000) / CHECKS,
    perSecond: CHECKS / seconds,
  };
}

for (let round = 0; round < ROUNDS; round++) {
  const names = round % 2 === 0 ? Object.keys(paths) : Object.keys(paths).reverse();
  for (const name of names) {
    const m = await measure(paths[name]!);
    console.log(
      `round ${round + 1} ${name.padEnd(17)} process ${m.processUs.toFixed(1).padStart(6)} µs/check  ` +
        `nats-server ${m.natsUs.toFixed(1).padStart(6)} µs/check  ${Math.round(m.perSecond)} checks/s`,
    );
  }
}
requester.close();
await nc.close();
await hub.stop();
process.exit(0);
