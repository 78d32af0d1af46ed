import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accessControl } from '@dcc/access-control';
import { createSigningKeyPair, type SigningKeyPair } from '@dcc/pki';
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
  /** The CoS party key pair this hub signs 6.23 swaps with (access-control) and its meters trust (adapter). */
  cosParty: SigningKeyPair;
  stop(): Promise<void>;
}

/** A whole hub in this process: a real nats-server, access-control and a SMETS2 adapter on free ports. */
export async function startLocalHub(
  options: { fleetSize?: number; env?: Record<string, string> } = {},
): Promise<LocalHub> {
  const nats = await startNatsServer();
  // A CoS party of its own: access control signs 6.23 credential swaps with it, the meters trust it.
  const cosParty = await createSigningKeyPair('cos');
  const keyDir = mkdtempSync(join(tmpdir(), 'dcc-hub-cos-'));
  writeFileSync(join(keyDir, 'cos-party.key'), cosParty.privateKeyPem, { mode: 0o600 });
  writeFileSync(join(keyDir, 'cos-party.pub'), cosParty.publicKeyPem);
  const env = {
    NATS_URL: nats.url,
    GRPC_HOST: '127.0.0.1',
    GRPC_PORT: '0',
    LOG_LEVEL: 'error',
    FLEET_SIZE: String(options.fleetSize ?? 1_000),
    // No registration service in this hub unless a test starts one: the simulated fleet stands in for it.
    REGISTRATION_CHECKS: 'off',
    COS_PARTY_KEY_FILE: join(keyDir, 'cos-party.key'),
    COS_PARTY_PUBLIC_KEY_FILE: join(keyDir, 'cos-party.pub'),
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
    cosParty,
    async stop() {
      await gateway.stop();
      await adapter.stop();
      await nats.stop();
      rmSync(keyDir, { recursive: true, force: true });
    },
  };
}
