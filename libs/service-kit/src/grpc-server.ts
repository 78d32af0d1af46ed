import { PROTO_FILES, PROTO_ROOT } from '@dcc/proto';
import {
  Server,
  ServerCredentials,
  type ServiceDefinition,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation, protoPath as healthProtoPath } from 'grpc-health-check';
import { dirname, resolve } from 'node:path';
import { boundedStatusInterceptor } from './bounded-status.js';
import { withCorrectMapEntryNames } from './reflection-descriptors.js';
import { withMessageLimit } from './tolerant-definition.js';

export interface GrpcBinding {
  /** Fully qualified service name, e.g. "dcc.v1.ServiceRequestsService" (the health check key). */
  name: string;
  definition: ServiceDefinition;
  implementation: UntypedServiceImplementation;
}

/**
 * The health check name a liveness probe asks for: SERVING from start until the process ends, whatever the bus
 * does. Readiness ("" and each service) follows the NATS connection; restarting a process because nats-server is
 * away would only add a cold start to the outage.
 */
export const LIVENESS_CHECK = 'liveness';

export interface StartedGrpcServer {
  server: Server;
  port: number;
  /** The plaintext health-only server, when a health port was asked for. */
  healthServer: Server | undefined;
  healthPort: number | undefined;
  health: HealthImplementation;
  /** Marks every service (and the server as a whole, "") with the given status. */
  setServing(serving: boolean): void;
}

/**
 * What the transport accepts, above the per-message limit the handlers enforce (MAX_MESSAGE_BYTES, 4 MiB): a
 * message between the two is refused on its own, and a stream keeps going. Beyond this, grpc-js ends the call
 * (RESOURCE_EXHAUSTED), so acknowledgements a stream still owed are lost with it (the requests they acknowledge
 * are stored and answered on Responses). Caps what one message may make the server allocate.
 */
const MAX_TRANSPORT_MESSAGE_BYTES = 64 * 1024 * 1024;

/** A gRPC server with the standard health service and server reflection, so grpcurl can list and call it. */
export async function startGrpcServer(
  host: string,
  port: number,
  bindings: GrpcBinding[],
  credentials: ServerCredentials = ServerCredentials.createInsecure(),
  healthPort?: number,
): Promise<StartedGrpcServer> {
  const server = new Server({
    'grpc.max_receive_message_length': MAX_TRANSPORT_MESSAGE_BYTES,
    'grpc.keepalive_time_ms': 30_000,
    'grpc.keepalive_timeout_ms': 10_000,
    // Nothing here serves channelz, so the per-call accounting it keeps by default is work for nobody.
    'grpc.enable_channelz': 0,
    interceptors: [boundedStatusInterceptor],
  });
  // Every service on this server, the standard ones too, gets the per-message limit.
  const limited = {
    addService: (definition: ServiceDefinition, implementation: UntypedServiceImplementation) =>
      server.addService(withMessageLimit(definition), implementation),
  };
  for (const b of bindings) limited.addService(b.definition, b.implementation);

  const names = ['', ...bindings.map((b) => b.name)];
  const health = new HealthImplementation({
    ...Object.fromEntries(names.map((n) => [n, 'NOT_SERVING' as const])),
    [LIVENESS_CHECK]: 'SERVING',
  });
  health.addToServer(limited);
  reflectionFor(bindings.map((b) => b.name)).addToServer(limited);

  const bound = await bind(server, host, port, credentials);
  // The same statuses, on a plaintext server that offers nothing else.
  const healthServer = healthPort === undefined ? undefined : new Server();
  if (healthServer) health.addToServer(healthServer);
  const healthBound = healthServer
    ? await bind(healthServer, host, healthPort!, ServerCredentials.createInsecure())
    : undefined;
  return {
    server,
    port: bound,
    healthServer,
    healthPort: healthBound,
    health,
    setServing(serving) {
      for (const n of names) health.setStatus(n, serving ? 'SERVING' : 'NOT_SERVING');
    },
  };
}

function bind(server: Server, host: string, port: number, credentials: ServerCredentials): Promise<number> {
  return new Promise<number>((ok, fail) =>
    server.bindAsync(`${host}:${port}`, credentials, (error, actual) => (error ? fail(error) : ok(actual))),
  );
}

let protos: ReturnType<typeof loadSync> | undefined;

/** Reflection describing exactly the services this server offers (plus health), from the dcc.v1 sources. */
function reflectionFor(serviceNames: string[]): ReflectionService {
  protos ??= withCorrectMapEntryNames(
    loadSync([...PROTO_FILES, 'health/v1/health.proto'], {
      keepCase: true, // the .proto field names (request_id), not protobufjs's camelCase, as protoc would serve
      includeDirs: [PROTO_ROOT, resolve(dirname(healthProtoPath), '..', '..')],
    }),
  );
  return new ReflectionService(protos, { services: [...serviceNames, 'grpc.health.v1.Health'] });
}

/** Stops accepting calls, waits for running ones up to the deadline, then cuts the rest. */
export function shutdownGrpcServer(server: Server, timeoutMs: number): Promise<void> {
  return new Promise((done) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      done();
    }, timeoutMs);
    server.tryShutdown(() => {
      clearTimeout(timer);
      done();
    });
  });
}
