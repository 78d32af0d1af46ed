import { createDevPki, DEVELOPMENT_OPERATOR_ID, writePkiDir } from '@dcc/pki';
import { credentials, type ChannelCredentials } from '@grpc/grpc-js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A development PKI for one benchmark run: the registration service's TLS settings and the operator's client. */
export async function operatorTls(): Promise<{ env: Record<string, string>; client: ChannelCredentials }> {
  const pki = await createDevPki([DEVELOPMENT_OPERATOR_ID]);
  const dir = mkdtempSync(join(tmpdir(), 'dcc-ingest-pki-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const files = writePkiDir(dir, pki);
  const operator = pki.users[DEVELOPMENT_OPERATOR_ID]!;
  return {
    env: {
      TLS_CERT_FILE: files.serverCertificate,
      TLS_KEY_FILE: files.serverKey,
      TLS_CLIENT_CA_FILE: files.caCertificate,
      REGISTRATION_ADMIN_IDS: DEVELOPMENT_OPERATOR_ID,
    },
    client: credentials.createSsl(
      Buffer.from(pki.ca.certificate),
      Buffer.from(operator.privateKey),
      Buffer.from(operator.certificate),
    ),
  };
}
