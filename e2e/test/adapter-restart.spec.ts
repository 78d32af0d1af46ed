// Telemetry first: providers must be installed before the services' modules load.
import './telemetry-setup.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accessControl } from '@dcc/access-control';
import { registration } from '@dcc/registration';
import type { ServiceResponse } from '@dcc/proto';
import { startService, type RunningService } from '@dcc/service-kit';
import {
  startNatsServer,
  startServiceProcess,
  waitFor,
  type NatsServer,
  type ServiceProcess,
} from '@dcc/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estateLines, HubClient, loadEstateFeed, readImportRegisters } from '../src/index.js';
import { OPERATOR, registrationTls } from '../src/registration-tls.js';

const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
const FLEET = 100;
const PARTITIONS = 256;
/** Long, so that a restart waiting for its own leases to expire could not pass. */
const LEASE_TTL_MS = 20_000;
const meter = (i: number) => `00-DB-12-00-00-00-00-${i.toString(16).padStart(2, '0').toUpperCase()}`;

let nats: NatsServer;
let gateway: RunningService;
let registrationService: RunningService;
let client: HubClient;
let env: Record<string, string>;
const received: ServiceResponse[] = [];
const running: ServiceProcess[] = [];

/** The adapter as its own OS process, always with the same instance id and LMDB directory. */
function startAdapter(dataDir: string): ServiceProcess {
  const adapter = startServiceProcess('services/smets2-adapter/src/main.ts', {
    ...env,
    LOG_LEVEL: 'info',
    INSTANCE_ID: 'restarted',
    DATA_DIR: dataDir,
    LEASE_TTL_MS: String(LEASE_TTL_MS),
  });
  running.push(adapter);
  return adapter;
}

/** The adapter's "SMETS2 fleet ready" log line: logged once its first lease round is done. */
function ready(adapter: ServiceProcess): Promise<{ owned: number }> {
  return waitFor(
    'the adapter to be ready',
    () => {
      const line = adapter
        .output()
        .split('\n')
        .find((l) => l.includes('"SMETS2 fleet ready"'));
      return line ? (JSON.parse(line) as { owned: number }) : undefined;
    },
    60_000,
    50,
  );
}

beforeAll(async () => {
  nats = await startNatsServer();
  env = {
    NATS_URL: nats.url,
    GRPC_HOST: '127.0.0.1',
    GRPC_PORT: '0',
    LOG_LEVEL: 'warn',
    FLEET_SIZE: String(FLEET),
    METER_PARTITIONS: String(PARTITIONS),
  };
  // Access control routes from the inventory: the meters are registered first.
  const tls = await registrationTls();
  registrationService = await startService(registration, { ...env, REGISTRY_CAPACITY: '1000', ...tls.env });
  await loadEstateFeed(
    `127.0.0.1:${registrationService.grpcPort}`,
    estateLines(FLEET),
    tls.credentials(OPERATOR),
  );
  gateway = await startService(accessControl, env);
  client = new HubClient(`127.0.0.1:${gateway.grpcPort}`);
  client.responses(SUPPLIER, (r) => received.push(r));
}, 60_000);

afterAll(async () => {
  client.close();
  await gateway.stop();
  await registrationService.stop();
  for (const adapter of running) if (adapter.child.exitCode === null) adapter.child.kill('SIGKILL');
  await Promise.all(running.map((a) => a.exited));
  await nats.stop();
});

describe('an adapter process killed and restarted with the same INSTANCE_ID', () => {
  it('serves again at once: it takes back its own leases instead of waiting for them to expire', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dcc-adapter-restart-'));
    let counter = 1;
    const submit = async (device: string): Promise<string> => {
      const request = readImportRegisters(SUPPLIER, device, counter++);
      expect((await client.submit(request)).responseCode).toBe('I99');
      return request.requestId;
    };
    const answered = (ids: string[]) => ids.every((id) => received.some((r) => r.requestId === id));

    const first = startAdapter(dataDir);
    expect((await ready(first)).owned).toBe(PARTITIONS);
    const before = await submit(meter(1));
    await waitFor('an answer from the first process', () => answered([before]) || undefined, 20_000);

    first.child.kill('SIGKILL');
    expect(await first.exited).toBeNull();
    // Acknowledged while no adapter runs: stored on METER_MAIL, answered once the adapter is back.
    const whileDown = await Promise.all(Array.from({ length: 20 }, (_, i) => submit(meter(i + 2))));

    const restartedAt = performance.now();
    const second = startAdapter(dataDir);
    const status = await ready(second);
    const readyAfter = performance.now() - restartedAt;
    expect(status.owned).toBe(PARTITIONS); // every lease taken back on the first round
    await waitFor('every request answered', () => answered(whileDown) || undefined, LEASE_TTL_MS, 20);
    const servedAfter = performance.now() - restartedAt;
    // Well under the lease TTL, process start included (the answers follow readiness closely).
    expect(servedAfter, `ready after ${readyAfter} ms, served after ${servedAfter} ms`).toBeLessThan(
      LEASE_TTL_MS / 2,
    );
    expect(servedAfter - readyAfter).toBeLessThan(3_000);
    for (const id of whileDown) {
      const answers = received.filter((r) => r.requestId === id);
      expect(answers, id).toHaveLength(1);
      expect(answers[0]!.responseCode).toBe('I0');
    }

    // Signal handlers are installed once the service logged that it serves.
    await waitFor(
      'the adapter to serve',
      () => second.output().includes('"smets2-adapter serving"') || undefined,
    );
    second.child.kill('SIGTERM');
    const code = await second.exited;
    expect(code, second.output().slice(-3000)).toBe(0);
  }, 120_000);
});
