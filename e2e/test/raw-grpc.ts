import { SubmitStreamRequest, SubmitStreamResponse } from '@dcc/proto';
import { credentials, makeGenericClientConstructor, type ServiceError } from '@grpc/grpc-js';

const identity = (b: Buffer) => b;

/** A client that sends raw bytes as requests, to exercise what the hub does with undecodable input. */
const RawClient = makeGenericClientConstructor(
  {
    submit: {
      path: '/dcc.v1.ServiceRequestsService/Submit',
      requestStream: false,
      responseStream: false,
      requestSerialize: identity,
      requestDeserialize: identity,
      responseSerialize: identity,
      responseDeserialize: identity,
    },
    submitStream: {
      path: '/dcc.v1.ServiceRequestsService/SubmitStream',
      requestStream: true,
      responseStream: true,
      requestSerialize: identity,
      requestDeserialize: identity,
      responseSerialize: identity,
      responseDeserialize: (b: Buffer) => SubmitStreamResponse.decode(b),
    },
  },
  'RawServiceRequests',
);

export function rawUnarySubmit(address: string, bytes: Uint8Array): Promise<ServiceError | undefined> {
  const client = new RawClient(address, credentials.createInsecure()) as unknown as {
    submit(b: Buffer, cb: (e: ServiceError | null) => void): void;
    close(): void;
  };
  return new Promise((resolve) =>
    client.submit(Buffer.from(bytes), (error) => {
      client.close();
      resolve(error ?? undefined);
    }),
  );
}

/** Sends each item (raw bytes, or a request to encode) on one SubmitStream call; resolves with the replies. */
export function rawStreamSubmit(
  address: string,
  items: (Uint8Array | SubmitStreamRequest)[],
): Promise<SubmitStreamResponse[]> {
  const client = new RawClient(address, credentials.createInsecure()) as unknown as {
    submitStream(): NodeJS.ReadWriteStream & { on(e: string, f: (x: never) => void): void };
    close(): void;
  };
  return new Promise((resolve, reject) => {
    const replies: SubmitStreamResponse[] = [];
    const call = client.submitStream();
    call.on('data', (reply: SubmitStreamResponse) => replies.push(reply));
    call.on('end', () => {
      client.close();
      resolve(replies);
    });
    call.on('error', reject);
    for (const item of items) {
      call.write(Buffer.from(item instanceof Uint8Array ? item : SubmitStreamRequest.encode(item).finish()));
    }
    call.end();
  });
}
