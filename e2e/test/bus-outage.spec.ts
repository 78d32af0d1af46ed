// During a NATS outage the hub says so: health turns NOT_SERVING and a submission fails fast as UNAVAILABLE
// (nothing can be stored, so nothing may be acknowledged); once nats-server is back, it serves again. Liveness
// (the check Kubernetes restarts on) stays SERVING throughout.
import { GrpcStatus } from '@dcc/domain';
import { registration } from '@dcc/registration';
import { LIVENESS_CHECK, startService, type RunningService } from '@dcc/service-kit';
import {
  freePort,
  healthCheck,
  startNatsServer,
  startServiceProcess,
  waitFor,
  type NatsServer,
} from '@dcc/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { estateLines, HubClient, loadEstateFeed, readImportRegisters } from '../src/index.js';
import { registrationTls } from '../src/registration-tls.js';

const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
const DEVICE = '00-DB-12-00-00-00-00-07';

let nats: NatsServer;
let service: ReturnType<typeof startServiceProcess>;
let registrationService: RunningService;
let address: string;
/** The plaintext health-only port, as Kubernetes' probes use it. */
let probes: string;

beforeAll(async () => {
  nats = await startNatsServer();
  // The device is registered: access control decides every request from the inventory.
  registrationService = await startService(registration, {
    NATS_URL: nats.url,
    GRPC_HOST: '127.0.0.1',
    GRPC_PORT: '0',
    LOG_LEVEL: 'warn',
    REGISTRY_CAPACITY: '1000',
    ...(await registrationTls()).env,
  });
  await loadEstateFeed(`127.0.0.1:${registrationService.grpcPort}`, estateLines(10));
  const port = await freePort();
  const healthPort = await freePort();
  service = startServiceProcess('services/access-control/src/main.ts', {
    NATS_URL: nats.url,
    GRPC_HOST: '127.0.0.1',
    GRPC_PORT: String(port),
    HEALTH_PORT: String(healthPort),
    LOG_LEVEL: 'info',
  });
  address = `127.0.0.1:${port}`;
  probes = `127.0.0.1:${healthPort}`;
  await waitFor('access control to serve', () => healthCheck(address).catch(() => undefined), 30_000, 200);
});

afterAll(async () => {
  service.child.kill('SIGTERM');
  await service.exited;
  await registrationService.stop();
  await nats.stop();
});

it('reports NOT_SERVING and refuses submissions at once while nats-server is down, and serves again after', async () => {
  const client = new HubClient(address);
  expect(await healthCheck(address)).toBe('SERVING');
  expect((await client.submit(readImportRegisters(SUPPLIER, DEVICE, 1))).responseCode).toBe('I99');

  await nats.kill();
  await waitFor(
    'health to say NOT_SERVING',
    async () => (await healthCheck(address)) === 'NOT_SERVING',
    5_000,
  );
  expect(await healthCheck(address, 'dcc.v1.ServiceRequestsService')).toBe('NOT_SERVING');
  // The probes' port says the same for readiness; liveness stays SERVING, so the pod is not restarted for it.
  expect(await healthCheck(probes, '')).toBe('NOT_SERVING');
  expect(await healthCheck(probes, LIVENESS_CHECK)).toBe('SERVING');
  const started = Date.now();
  const refusal = await client.submit(readImportRegisters(SUPPLIER, DEVICE, 2)).then(
    () => undefined,
    (error: { status: number; message: string }) => error,
  );
  expect(Date.now() - started).toBeLessThan(1_000);
  expect(refusal?.status).toBe(GrpcStatus.UNAVAILABLE);
  expect(refusal?.message).toMatch(/message bus unavailable/);

  await nats.restart();
  await waitFor(
    'health to say SERVING again',
    async () => (await healthCheck(address)) === 'SERVING',
    15_000,
  );
  // Registration comes back on its own reconnect: until its lookup answers, a submission is refused as
  // UNAVAILABLE with nothing stored, so the client sends again (a fresh counter each time).
  let counter = 3;
  const ack = await waitFor(
    'a submission acknowledged after the restart',
    () => client.submit(readImportRegisters(SUPPLIER, DEVICE, counter++)).catch(() => undefined),
    15_000,
    200,
  );
  expect(ack.responseCode).toBe('I99');
  client.close();
  expect(service.output()).toMatch(/NATS connection lost: not serving/);
  expect(service.output()).toMatch(/NATS connection restored: serving/);
}, 60_000);
