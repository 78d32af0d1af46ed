import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, loadConfig } from './config.js';

const own = { FLEET_SIZE: z.coerce.number().int().min(0).default(10) };

describe('loadConfig', () => {
  it('applies defaults and coerces numbers', () => {
    const config = loadConfig('svc', own, { GRPC_PORT: '50061' });
    expect(config).toMatchObject({
      GRPC_PORT: 50061,
      NATS_URL: 'nats://127.0.0.1:4222',
      FLEET_SIZE: 10,
      LOG_LEVEL: 'info',
    });
  });

  it('names every bad variable at once', () => {
    const attempt = () =>
      loadConfig('svc', own, { GRPC_PORT: '99999', FLEET_SIZE: 'many', LOG_LEVEL: 'loud' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(
      /invalid configuration for svc:\n {2}- GRPC_PORT: .*\n {2}- LOG_LEVEL: .*\n {2}- FLEET_SIZE: /,
    );
  });

  it('refuses half a mutual-TLS configuration', () => {
    expect(() =>
      loadConfig('svc', own, { GRPC_PORT: '1', TLS_CERT_FILE: '/x.pem', TLS_KEY_FILE: '/x.key' }),
    ).toThrow(/TLS_CLIENT_CA_FILE: mutual TLS needs all of TLS_CERT_FILE, TLS_KEY_FILE, TLS_CLIENT_CA_FILE/);
  });
});
