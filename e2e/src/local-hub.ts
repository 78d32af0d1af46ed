import { accessControl } from '@dcc/access-control';
import { createRegistrationService, registration as registrationService } from '@dcc/registration';
import { startService, type RunningService } from '@dcc/service-kit';
import { smets2Adapter } from '@dcc/smets2-adapter';
import { startNatsServer, type NatsServer } from '@dcc/testkit';
import { estateLines, loadEstateFeed } from './estate.js';

export interface LocalHub {
  nats: NatsServer;
  accessControl: RunningService;
  adapter: RunningService;
  /** The registration service the hub started (absent with `registration: false`). */
  registration: RunningService | undefined;
  /** host:port of access-control's gRPC server. */
  address: string;
  env: Record<string, string>;
  stop(): Promise<void>;
}

export interface LocalHubOptions {
  /**
   * Meter points of the estate loaded into registration before the hub answers (estate.ts): 100 by default,
   * `uniform` (meters 00-DB-12-00-00-00-00-00 upwards, the development supplier's) unless `mix` says `mixed`.
   */
  meters?: number;
  mix?: 'uniform' | 'mixed';
  /** The uniform estate's suppliers and distributors in turn (default: the development supplier and operator). */
  parties?: { suppliers?: string[]; distributors?: string[] };
  /**
   * The registration module to start (e.g. one on a test clock), or false when the test starts its own and
   * loads its own feed (no estate is loaded then).
   */
  registration?: ReturnType<typeof createRegistrationService> | false;
  env?: Record<string, string>;
}

/**
 * A whole hub in this process: a real nats-server, registration with a loaded estate (through its gRPC
 * LoadFeed), access-control and a SMETS2 adapter on free ports. Registration checks are always on: the estate
 * is what makes a device addressable.
 */
export async function startLocalHub(options: LocalHubOptions = {}): Promise<LocalHub> {
  const nats = await startNatsServer();
  const env: Record<string, string> = {
    NATS_URL: nats.url,
    GRPC_HOST: '127.0.0.1',
    GRPC_PORT: '0',
    LOG_LEVEL: 'error',
    ...options.env,
  };
  let registration: RunningService | undefined;
  if (options.registration !== false) {
    // Registration on plaintext gRPC even when the test runs the hub over mutual TLS: access control talks to
    // it over NATS, and the estate is loaded by the test itself.
    const { TLS_CERT_FILE: _c, TLS_KEY_FILE: _k, TLS_CLIENT_CA_FILE: _ca, ...plain } = env;
    registration = await startService(options.registration ?? registrationService, {
      REGISTRY_CAPACITY: String(Math.max(1_000, (options.meters ?? 100) * 2)),
      ...plain,
    });
    await loadEstateFeed(
      `127.0.0.1:${registration.grpcPort}`,
      estateLines(options.meters ?? 100, options.mix, options.parties),
    );
  }
  const adapter = await startService(smets2Adapter, env);
  const gateway = await startService(accessControl, env);
  return {
    nats,
    accessControl: gateway,
    adapter,
    registration,
    address: `127.0.0.1:${gateway.grpcPort}`,
    env,
    async stop() {
      await gateway.stop();
      await adapter.stop();
      await registration?.stop();
      await nats.stop();
    },
  };
}
