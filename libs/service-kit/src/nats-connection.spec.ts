import { parseEui64 } from '@dcc/domain';
import { writeNatsAuthorisation } from '@dcc/bus';
import { startNatsServer, type NatsServer } from '@dcc/testkit';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { connectNats, natsAuthenticator } from './nats-connection.js';

const log = createLogger('nats-connection-spec', 'silent');
let dir: string;
let server: NatsServer;
let hubSeedFile: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dcc-nats-creds-'));
  const files = writeNatsAuthorisation(dir, [parseEui64('90-B3-D5-1F-30-02-00-00')]);
  hubSeedFile = files.hubSeedFile;
  server = await startNatsServer({ config: readFileSync(files.configFile, 'utf8') });
});

afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('NATS credentials from settings', () => {
  it('connects with the nkey seed named by NATS_NKEY_SEED_FILE and may publish into the hub subjects', async () => {
    const config = loadConfig(
      'svc',
      {},
      { GRPC_PORT: '1', NATS_URL: server.url, NATS_NKEY_SEED_FILE: hubSeedFile },
    );
    const nc = await connectNats(config.NATS_URL, 'svc', log, config);
    const sub = nc.subscribe('dcc.evt.test.x', { max: 1 });
    nc.publish('dcc.evt.test.x', 'ok');
    for await (const m of sub) expect(m.string()).toBe('ok');
    await nc.close();
  });

  it('is refused by a server that requires credentials when none are set', async () => {
    expect(natsAuthenticator({})).toBeUndefined();
    const { connect } = await import('@nats-io/transport-node');
    await expect(connect({ servers: server.url, maxReconnectAttempts: 0 })).rejects.toThrow(/Authorization/i);
  });

  it('takes a user name and password together, and not with an nkey seed as well', () => {
    expect(natsAuthenticator({ NATS_USER: 'hub', NATS_PASSWORD: 'secret' })).toBeTypeOf('function');
    expect(() => loadConfig('svc', {}, { GRPC_PORT: '1', NATS_USER: 'hub' })).toThrow(
      /NATS_PASSWORD: NATS_USER and NATS_PASSWORD go together/,
    );
    expect(() =>
      loadConfig(
        'svc',
        {},
        { GRPC_PORT: '1', NATS_USER: 'hub', NATS_PASSWORD: 'x', NATS_NKEY_SEED_FILE: '/s.nk' },
      ),
    ).toThrow(/NATS_NKEY_SEED_FILE: one NATS credential/);
  });
});
