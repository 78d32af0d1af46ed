import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createDevPki,
  DEVELOPMENT_OPERATOR_ID,
  DEVELOPMENT_REGISTRATION_PROVIDER_ID,
  writePkiDir,
  type DevPki,
} from '@dcc/pki';
import { credentials, type ChannelCredentials } from '@grpc/grpc-js';

/** Who may call the registration API in tests and test hubs: the development operator and data provider. */
export const OPERATOR = DEVELOPMENT_OPERATOR_ID;
export const DATA_PROVIDER = DEVELOPMENT_REGISTRATION_PROVIDER_ID;

/** A development PKI for the registration API, shared by one test file. */
export interface RegistrationTls {
  pki: DevPki;
  /** What a registration service needs: mutual TLS, OPERATOR as operator, DATA_PROVIDER as data provider. */
  env: Record<string, string>;
  /** Client credentials of a certificate the PKI issued (OPERATOR, DATA_PROVIDER or one of `userIds`). */
  credentials(userId: string): ChannelCredentials;
}

let shared: Promise<RegistrationTls> | undefined;

/**
 * The registration API answers operators and registration data providers over mutual TLS only: this PKI (made
 * once per test file, its directory removed when the process exits) issues their certificates and, for refusal
 * tests, certificates for `userIds` (Users).
 */
export function registrationTls(userIds: readonly string[] = []): Promise<RegistrationTls> {
  shared ??= (async () => {
    const pki = await createDevPki([OPERATOR, DATA_PROVIDER, ...userIds]);
    const dir = mkdtempSync(join(tmpdir(), 'dcc-registration-pki-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const files = writePkiDir(dir, pki);
    return {
      pki,
      env: {
        TLS_CERT_FILE: files.serverCertificate,
        TLS_KEY_FILE: files.serverKey,
        TLS_CLIENT_CA_FILE: files.caCertificate,
        REGISTRATION_ADMIN_IDS: OPERATOR,
        REGISTRATION_PROVIDER_IDS: DATA_PROVIDER,
      },
      credentials: (userId) =>
        credentials.createSsl(
          Buffer.from(pki.ca.certificate),
          Buffer.from(pki.users[userId]!.privateKey),
          Buffer.from(pki.users[userId]!.certificate),
        ),
    };
  })();
  return shared;
}
