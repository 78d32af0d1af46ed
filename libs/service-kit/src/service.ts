import { BusLink, outboundOf, Requester, setJetStreamReplicas } from '@dcc/bus';
import type { NatsConnection } from '@nats-io/transport-node';
import type { z } from 'zod';
import { loadConfig, type BaseConfig } from './config.js';
import { serverCredentials } from './grpc-credentials.js';
import { shutdownGrpcServer, startGrpcServer, type GrpcBinding } from './grpc-server.js';
import { createLogger, type Logger } from './logger.js';
import { connectNats } from './nats-connection.js';
import { installTelemetry, shutdownTelemetry } from './telemetry.js';

export interface ServiceContext<C> {
  config: BaseConfig & C;
  nc: NatsConnection;
  /** The process's shared fast request/reply client. */
  requester: Requester;
  log: Logger;
}

/** What a service's start() hands back to the kit. */
export interface ServiceInstance {
  grpc: GrpcBinding[];
  /** Stop taking new work and finish what was accepted; the kit closes gRPC and NATS afterwards. */
  drain(): Promise<void>;
}

export interface ServiceModule<S extends z.ZodRawShape> {
  name: string;
  defaultGrpcPort: number;
  /** The service's own environment settings (zod shape), on top of the base ones. */
  config: S;
  start(ctx: ServiceContext<z.infer<z.ZodObject<S>>>): Promise<ServiceInstance>;
}

export interface RunningService {
  name: string;
  grpcPort: number;
  /** The plaintext health-only gRPC port (HEALTH_PORT set), else undefined. */
  healthPort: number | undefined;
  /** Where `/metrics` is served (METRICS_PORT set), else undefined. */
  metricsPort: number | undefined;
  nc: NatsConnection;
  log: Logger;
  /** Graceful drain: health NOT_SERVING, stop accepting, finish in-flight work, close NATS. Idempotent. */
  stop(): Promise<void>;
}

/** Starts a service in this process. `main.ts` files and tests both go through here. */
export async function startService<S extends z.ZodRawShape>(
  module: ServiceModule<S>,
  env: Record<string, string | undefined> = process.env,
): Promise<RunningService> {
  const config = loadConfig(module.name, module.config, {
    GRPC_PORT: String(module.defaultGrpcPort),
    ...definedOnly(env),
  });
  setJetStreamReplicas(config.STREAM_REPLICAS);
  const telemetry = installTelemetry({
    serviceName: module.name,
    otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
    prometheus: config.METRICS_PORT !== undefined,
  });
  const log = createLogger(module.name, config.LOG_LEVEL);
  // A process that installed telemetry earlier without Prometheus (several services in one test process) has
  // no endpoint to serve: the first installation decides.
  const metricsPort =
    config.METRICS_PORT === undefined
      ? undefined
      : await telemetry.metricsEndpoint?.listen(config.GRPC_HOST, config.METRICS_PORT);
  const nc = await connectNats(config.NATS_URL, module.name, log, config);
  const requester = new Requester(nc);
  const instance = await module.start({ config, nc, requester, log });
  const tls = serverCredentials(config);
  const grpc = await startGrpcServer(
    config.GRPC_HOST,
    config.GRPC_PORT,
    instance.grpc,
    tls.credentials,
    config.HEALTH_PORT,
  );
  // Health follows the bus: NOT_SERVING while the NATS connection is down or reconnecting, since nothing a
  // service does can be stored or answered then; SERVING again once it is back (unless draining).
  const link = new BusLink(nc);
  let stopping: Promise<void> | undefined;
  grpc.setServing(link.up);
  link.onChange((up) => {
    if (stopping) return;
    grpc.setServing(up);
    if (up) log.info('NATS connection restored: serving');
    else log.warn('NATS connection lost: not serving');
  });
  if (!tls.mutualTls) log.warn('gRPC is plaintext without client certificates: for local development only');
  log.info(
    {
      grpcPort: grpc.port,
      healthPort: grpc.healthPort,
      metricsPort,
      nats: config.NATS_URL,
      mutualTls: tls.mutualTls,
    },
    `${module.name} serving`,
  );

  const stop = () =>
    (stopping ??= (async () => {
      log.info('draining');
      grpc.setServing(false);
      link.close();
      await Promise.all([instance.drain(), shutdownGrpcServer(grpc.server, config.DRAIN_TIMEOUT_MS)]);
      // Health answers NOT_SERVING to the end of the drain, then goes with the process.
      grpc.healthServer?.forceShutdown();
      requester.close();
      // Replies and acknowledgements the drained work queued for this loop turn go out before the connection does.
      outboundOf(nc).flush();
      await nc.drain();
      log.info('stopped');
    })());
  return { name: module.name, grpcPort: grpc.port, healthPort: grpc.healthPort, metricsPort, nc, log, stop };
}

/** Entry point of a service process: start, then drain on SIGTERM/SIGINT and exit. */
export function runMain<S extends z.ZodRawShape>(module: ServiceModule<S>): void {
  startService(module).then(
    (service) => {
      const onSignal = (signal: string) => {
        service.log.info({ signal }, 'signal received');
        service
          .stop()
          .then(() => shutdownTelemetry())
          .then(
            () => process.exit(0),
            (error: unknown) => {
              service.log.error({ err: error }, 'drain failed');
              process.exit(1);
            },
          );
      };
      process.once('SIGTERM', onSignal);
      process.once('SIGINT', onSignal);
    },
    (error: unknown) => {
      process.stderr.write(`${module.name} failed to start: ${(error as Error).message}\n`);
      process.exit(1);
    },
  );
}

function definedOnly(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')) as Record<
    string,
    string
  >;
}
