import { z } from 'zod';

/** Settings every service takes from its environment. */
export const baseConfigSchema = z.object({
  NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
  /**
   * NATS credentials when nats-server requires them (`npm start` does): a file holding the user's nkey seed
   * (mode 0600), or a user name and password. None set: connect without credentials.
   */
  NATS_NKEY_SEED_FILE: z.string().min(1).optional(),
  NATS_USER: z.string().min(1).optional(),
  NATS_PASSWORD: z.string().min(1).optional(),
  GRPC_HOST: z.string().min(1).default('0.0.0.0'),
  /** 0 picks a free port (tests); services document their default port. */
  GRPC_PORT: z.coerce.number().int().min(0).max(65535),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  /** How long a graceful drain may take before in-flight work is abandoned (it stays durable in NATS). */
  DRAIN_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
  /**
   * Mutual TLS for the gRPC server: the server's certificate chain and key, and the CA that client (User)
   * certificates must chain to. All three set: clients must present a certificate. None set: plaintext, for
   * local development only.
   */
  TLS_CERT_FILE: z.string().min(1).optional(),
  TLS_KEY_FILE: z.string().min(1).optional(),
  TLS_CLIENT_CA_FILE: z.string().min(1).optional(),
  /** When set, traces and metrics are exported over OTLP/HTTP to this collector. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
  /**
   * When set, a second, plaintext gRPC server answering only grpc.health.v1.Health listens here, for probes that
   * cannot present a client certificate (Kubernetes' native gRPC probes speak plaintext only).
   */
  HEALTH_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** When set, metrics are served for Prometheus on `http://<GRPC_HOST>:<port>/metrics` (0: any free port). */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** Copies JetStream keeps of every stream and KV bucket the service creates: 1 on one server, 3 on a cluster. */
  STREAM_REPLICAS: z.coerce.number().int().min(1).max(5).default(1),
});

export type BaseConfig = z.infer<typeof baseConfigSchema>;

const TLS_SETTINGS = ['TLS_CERT_FILE', 'TLS_KEY_FILE', 'TLS_CLIENT_CA_FILE'] as const;

/** Thrown when the environment does not hold a valid configuration; lists every problem at once. */
export class ConfigError extends Error {
  constructor(service: string, problems: string[]) {
    super(`invalid configuration for ${service}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment against the base settings plus the service's own. */
export function loadConfig<S extends z.ZodRawShape>(
  service: string,
  own: S,
  env: Record<string, string | undefined> = process.env,
): BaseConfig & z.infer<z.ZodObject<S>> {
  const schema = baseConfigSchema.extend(own).superRefine((parsed, ctx) => {
    const config = parsed as Record<string, unknown>;
    if ((config.NATS_USER === undefined) !== (config.NATS_PASSWORD === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['NATS_PASSWORD'],
        message: 'NATS_USER and NATS_PASSWORD go together',
      });
    }
    if (config.NATS_USER !== undefined && config.NATS_NKEY_SEED_FILE !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['NATS_NKEY_SEED_FILE'],
        message: 'one NATS credential: NATS_NKEY_SEED_FILE or NATS_USER and NATS_PASSWORD',
      });
    }
    const set = TLS_SETTINGS.filter((k) => config[k] !== undefined);
    if (set.length > 0 && set.length < TLS_SETTINGS.length) {
      ctx.addIssue({
        code: 'custom',
        path: [TLS_SETTINGS.find((k) => config[k] === undefined)!],
        message: `mutual TLS needs all of ${TLS_SETTINGS.join(', ')} (only ${set.join(', ')} set)`,
      });
    }
  });
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      service,
      result.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`),
    );
  }
  return result.data as BaseConfig & z.infer<z.ZodObject<S>>;
}
