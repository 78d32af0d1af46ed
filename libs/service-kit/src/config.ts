import { z } from 'zod';

/** Settings every service takes from its environment. */
export const baseConfigSchema = z.object({
  NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
  GRPC_HOST: z.string().min(1).default('0.0.0.0'),
  /** 0 picks a free port (tests); services document their default port. */
  GRPC_PORT: z.coerce.number().int().min(0).max(65535),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  /** How long a graceful drain may take before in-flight work is abandoned (it stays durable in NATS). */
  DRAIN_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
  /** When set, traces and metrics are exported over OTLP/HTTP to this collector. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
});

export type BaseConfig = z.infer<typeof baseConfigSchema>;

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
  const schema = baseConfigSchema.extend(own);
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      service,
      result.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`),
    );
  }
  return result.data as BaseConfig & z.infer<z.ZodObject<S>>;
}
