import encoding from 'k6/encoding';
import grpc from 'k6/net/grpc';
import { USERS } from '../model/index.ts';

/**
 * One gRPC connection per User and VU, over mutual TLS with the User's development certificate (its CN is who the
 * hub takes the caller to be). PKI_DIR is the directory `npm start` or the runner writes (.run/pki, relative to
 * this script by default). k6 allows file reads and proto loading only in the init stage: both happen here, at
 * module load; connections open on first use.
 */
const PKI_DIR = __ENV.PKI_DIR ?? '../../.run/pki';
const PROTO_DIR = __ENV.PROTO_DIR ?? '../../libs/proto/proto';
export const HUB_ADDRESS = __ENV.HUB_ADDRESS ?? 'localhost:50061';
const CA = open(`${PKI_DIR}/ca.pem`);

interface UserConnection {
  client: grpc.Client;
  cert: string;
  key: string;
  /** The User's pre-command signing key, PKCS#8 DER. */
  signingKeyPkcs8: ArrayBuffer;
  connected: boolean;
}

const connections = new Map<string, UserConnection>();
for (const userId of Object.values(USERS)) {
  const client = new grpc.Client();
  client.load([PROTO_DIR], 'dcc/v1/service_requests_api.proto');
  const signingPem = open(`${PKI_DIR}/users/${userId}.signing.key`);
  connections.set(userId, {
    client,
    cert: open(`${PKI_DIR}/users/${userId}.pem`),
    key: open(`${PKI_DIR}/users/${userId}.key`),
    signingKeyPkcs8: encoding.b64decode(signingPem.replace(/-----[A-Z ]+-----|\s+/g, ''), 'std'),
    connected: false,
  });
}

function connection(userId: string): UserConnection {
  const c = connections.get(userId);
  if (!c) throw new Error(`no certificate loaded for User ${userId}`);
  return c;
}

/** This VU's connection as `userId`, opened on first use. */
export function clientFor(userId: string): grpc.Client {
  const c = connection(userId);
  if (!c.connected) {
    c.client.connect(HUB_ADDRESS, { tls: { cert: c.cert, key: c.key, cacerts: [CA] }, timeout: '10s' });
    c.connected = true;
  }
  return c.client;
}

export function signingKeyOf(userId: string): ArrayBuffer {
  return connection(userId).signingKeyPkcs8;
}
