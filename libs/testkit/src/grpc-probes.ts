import {
  credentials as grpcCredentials,
  loadPackageDefinition,
  type ChannelCredentials,
  type GrpcObject,
  type ServiceClientConstructor,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

// proto-loader clients are untyped; these probes call one method each, checked by the tests that use them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type DynamicClient = any;

function clientFor(
  protoFile: string,
  includeDir: string,
  path: string[],
  address: string,
  credentials: ChannelCredentials = grpcCredentials.createInsecure(),
): DynamicClient {
  const pkg = loadPackageDefinition(
    loadSync(protoFile, { includeDirs: [includeDir], enums: String }),
  ) as GrpcObject;
  const ctor = path.reduce<unknown>(
    (o, key) => (o as Record<string, unknown>)[key],
    pkg,
  ) as ServiceClientConstructor;
  return new ctor(address, credentials);
}

/** Calls grpc.health.v1.Health/Check as any gRPC client would; resolves with the status name. */
export function healthCheck(
  address: string,
  service = '',
  credentials?: ChannelCredentials,
): Promise<string> {
  const client = clientFor(
    healthProtoPath,
    dirname(healthProtoPath),
    ['grpc', 'health', 'v1', 'Health'],
    address,
    credentials,
  );
  return new Promise((resolve, reject) => {
    client.Check({ service }, (error: Error | null, reply: { status: string }) => {
      client.close();
      if (error) reject(error);
      else resolve(reply.status);
    });
  });
}

/** Lists services through server reflection (grpc.reflection.v1), as `grpcurl list` does. */
export function listServices(address: string): Promise<string[]> {
  const protoDir = join(dirname(require.resolve('@grpc/reflection')), '..', 'proto');
  const client = clientFor(
    join(protoDir, 'grpc/reflection/v1/reflection.proto'),
    protoDir,
    ['grpc', 'reflection', 'v1', 'ServerReflection'],
    address,
  );
  return new Promise((resolve, reject) => {
    const call = client.ServerReflectionInfo();
    call.on(
      'data',
      (reply: { listServicesResponse?: { service: { name: string }[] }; errorResponse?: unknown }) => {
        call.end();
        client.close();
        if (reply.listServicesResponse) resolve(reply.listServicesResponse.service.map((s) => s.name).sort());
        else reject(new Error(`reflection error: ${JSON.stringify(reply.errorResponse)}`));
      },
    );
    call.on('error', reject);
    call.write({ listServices: '' });
  });
}
