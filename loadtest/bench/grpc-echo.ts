import {
  credentials,
  makeGenericClientConstructor,
  Server,
  ServerCredentials,
  type Client,
  type ClientDuplexStream,
  type ClientUnaryCall,
  type sendUnaryData,
  type ServerDuplexStream,
  type ServerUnaryCall,
  type ServiceDefinition,
  type ServiceError,
} from '@grpc/grpc-js';

const identity = (bytes: Buffer): Buffer => bytes;

function method(name: string, requestStream: boolean, responseStream: boolean) {
  return {
    path: `/bench.v1.Echo/${name}`,
    originalName: name,
    requestStream,
    responseStream,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  };
}

/** A generic service over raw bytes: no protobuf, so only grpc-js and HTTP/2 are measured. */
const echoService = {
  unary: method('Unary', false, false),
  bidi: method('Bidi', true, true),
} satisfies ServiceDefinition;

export interface EchoClient extends Client {
  unary(request: Buffer, callback: (error: ServiceError | null, reply?: Buffer) => void): ClientUnaryCall;
  bidi(): ClientDuplexStream<Buffer, Buffer>;
}

const EchoClientConstructor = makeGenericClientConstructor(echoService, 'Echo');

export interface GrpcEcho {
  /** One client, so one channel (one HTTP/2 connection). */
  client: EchoClient;
  close(): Promise<void>;
}

/** A trivial grpc-js server on loopback that echoes, and a client to it. */
export async function startGrpcEcho(): Promise<GrpcEcho> {
  const server = new Server();
  server.addService(echoService, {
    unary: (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>) =>
      callback(null, call.request),
    bidi: (call: ServerDuplexStream<Buffer, Buffer>) => {
      call.on('data', (message: Buffer) => call.write(message));
      call.on('end', () => call.end());
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  const client = new EchoClientConstructor(
    `127.0.0.1:${port}`,
    credentials.createInsecure(),
  ) as unknown as EchoClient;
  return {
    client,
    async close() {
      client.close();
      await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
    },
  };
}
