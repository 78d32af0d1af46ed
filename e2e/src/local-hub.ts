import { accessControl } from '@dcc/access-control';
import { startService, type RunningService } from '@dcc/service-kit';
import { smets2Adapter } from '@dcc/smets2-adapter';
import { startNatsServer, type NatsServer } from '@dcc/testkit';

export interface LocalHub {
  nats: NatsServer;
  accessControl: RunningService;
  adapter: RunningService;
  /** host:port of access-control's gRPC server. */
  address: string;
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** A whole hub in this process: a real nats-server, access-control and a SMETS2 adapter on free ports. */
export async function startLocalHub(
  options: { fleetSize?: number; env?: Record<string, string> } = {},
): Promise<LocalHub> {
  const nats = await startNatsServer();
  const env = {
    NATS_URL: nats.url,
    GRPC_HOST: '127.0.0.1',
    GRPC_PORT: '0',
    LOG_LEVEL: 'error',
    FLEET_SIZE: String(options.fleetSize ?? 1_000),
    // No registration service in this hub unless a test starts one: the simulated fleet stands in for it.
    REGISTRATION_CHECKS: 'off',
    ...options.env,
  };
  const adapter = await startService(smets2Adapter, env);
  const gateway = await startService(accessControl, env);
  return {
    nats,
    accessControl: gateway,
    adapter,
    address: `127.0.0.1:${gateway.grpcPort}`,
    env,
    async stop() {
      await gateway.stop();
      await adapter.stop();
      await nats.stop();
    },
  };
}
