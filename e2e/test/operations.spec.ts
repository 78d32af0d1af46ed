// Telemetry first: providers must be installed before the services' modules load.
import './telemetry-setup.js';
import { accessControl } from '@dcc/access-control';
import { HubClient, readImportRegisters, startLocalHub, type LocalHub } from '../src/index.js';
import type { Acknowledgement, ServiceResponse } from '@dcc/proto';
import { startService } from '@dcc/service-kit';
import { freePort, healthCheck, listServices, startServiceProcess, waitFor } from '@dcc/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SUPPLIER = '90-B3-D5-1F-30-01-00-00';

let hub: LocalHub;

beforeAll(async () => {
  hub = await startLocalHub({ meters: 10_000 });
});

afterAll(async () => {
  await hub.stop();
});

describe('operating the services', () => {
  it('lists its services through reflection and answers health checks', async () => {
    // Each server describes exactly what it serves: a client cannot be misled into calling another service's API.
    expect(await listServices(hub.address)).toEqual([
      'dcc.v1.AlertRoutingService',
      'dcc.v1.QuarantineService',
      'dcc.v1.ServiceRequestsService',
      'dcc.v1.UserAdminService',
      'grpc.health.v1.Health',
    ]);
    const adapter = `127.0.0.1:${hub.adapter.grpcPort}`;
    expect(await listServices(adapter)).toEqual([
      'dcc.v1.DeviceEdgeService',
      'dcc.v1.GridSimulationService',
      'dcc.v1.Smets2OperationsService',
      'grpc.health.v1.Health',
    ]);
    expect(await healthCheck(hub.address)).toBe('SERVING');
    expect(await healthCheck(adapter, 'dcc.v1.Smets2OperationsService')).toBe('SERVING');
  });

  it('refuses to start on an invalid configuration, naming every bad setting', async () => {
    const service = startServiceProcess('services/access-control/src/main.ts', {
      NATS_URL: hub.nats.url,
      GRPC_PORT: 'not-a-port',
      REGISTRATION_TIMEOUT_MS: '-5',
    });
    expect(await service.exited).toBe(1);
    expect(service.output()).toMatch(/invalid configuration for access-control/);
    expect(service.output()).toMatch(/GRPC_PORT/);
    expect(service.output()).toMatch(/REGISTRATION_TIMEOUT_MS/);
  });

  it('drains on SIGTERM without losing an acknowledged request', async () => {
    const port = await freePort();
    const service = startServiceProcess('services/access-control/src/main.ts', {
      ...hub.env,
      GRPC_PORT: String(port),
      LOG_LEVEL: 'info',
    });
    const address = `127.0.0.1:${port}`;
    await waitFor('the child to serve', () => healthCheck(address).catch(() => undefined), 30_000, 200);

    // Stream requests continuously; SIGTERM lands while many are in flight.
    const client = new HubClient(address);
    const acks: Acknowledgement[] = [];
    const call = client.grpc.submitStream();
    const streamEnded = new Promise<void>((resolve) => {
      call.on('data', (reply: { acknowledgement?: Acknowledgement }) => {
        acks.push(reply.acknowledgement!);
        if (acks.length === 300) service.child.kill('SIGTERM');
      });
      call.on('end', () => resolve());
      call.on('error', () => resolve());
    });
    for (let i = 0; i < 3_000 && !call.writableEnded; i++) {
      if (!call.write({ request: readImportRegisters(SUPPLIER, deviceOf(i), 500_000 + i) })) {
        await new Promise((r) => setTimeout(r, 1));
      }
    }
    await streamEnded;
    expect(await service.exited).toBe(0);
    expect(service.output()).toMatch(/"msg":"stopped"/);
    client.close();

    const accepted = acks.filter((a) => a.responseCode === 'I99').map((a) => a.requestId);
    expect(accepted.length).toBeGreaterThanOrEqual(300);
    // Everything not accepted was refused explicitly, so the sender knows to resend it.
    for (const a of acks.filter((a) => a.responseCode !== 'I99')) expect(a.detail).toMatch(/shutting down/);

    // A fresh instance delivers an I0 for every acknowledged request.
    const replacement = await startService(accessControl, hub.env);
    const again = new HubClient(`127.0.0.1:${replacement.grpcPort}`);
    const answered = new Set<string>();
    const subscription = again.responses(SUPPLIER, (r: ServiceResponse) => {
      if (r.responseCode === 'I0') answered.add(r.requestId);
    });
    await waitFor(
      `I0 for all ${accepted.length} acknowledged requests`,
      () => accepted.every((id) => answered.has(id)),
      30_000,
    );
    subscription.cancel();
    again.close();
    await replacement.stop();
  });
});

function deviceOf(i: number): string {
  const hex = (i % 10_000).toString(16).toUpperCase().padStart(4, '0');
  return `00-DB-12-00-00-00-${hex.slice(0, 2)}-${hex.slice(2)}`;
}
