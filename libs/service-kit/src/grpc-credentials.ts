import { DccError, GrpcStatus, parseEui64, type Eui64 } from '@dcc/domain';
import { ServerCredentials, type ServerUnaryCall } from '@grpc/grpc-js';
import { readFileSync } from 'node:fs';
import type { BaseConfig } from './config.js';

/** Server credentials from the TLS settings: mutual TLS when configured, plaintext otherwise. */
export function serverCredentials(config: BaseConfig): {
  credentials: ServerCredentials;
  mutualTls: boolean;
} {
  if (!config.TLS_CERT_FILE || !config.TLS_KEY_FILE || !config.TLS_CLIENT_CA_FILE) {
    return { credentials: ServerCredentials.createInsecure(), mutualTls: false };
  }
  const read = (path: string, what: string) => {
    try {
      return readFileSync(path);
    } catch (error) {
      throw new Error(`cannot read ${what} ${path}: ${(error as Error).message}`);
    }
  };
  return {
    credentials: ServerCredentials.createSsl(
      read(config.TLS_CLIENT_CA_FILE, 'TLS_CLIENT_CA_FILE'),
      [
        {
          cert_chain: read(config.TLS_CERT_FILE, 'TLS_CERT_FILE'),
          private_key: read(config.TLS_KEY_FILE, 'TLS_KEY_FILE'),
        },
      ],
      true,
    ),
    mutualTls: true,
  };
}

/**
 * The User ID a call was authenticated as: the subject CN of its verified client certificate. Undefined on a
 * plaintext server (local development), where no identity is proven.
 */
export function authenticatedUserId(
  call: Pick<ServerUnaryCall<unknown, unknown>, 'getAuthContext'>,
): Eui64 | undefined {
  const context = call.getAuthContext();
  if (context.transportSecurityType !== 'ssl') return undefined;
  const cn = context.sslPeerCertificate?.subject?.CN;
  const name = Array.isArray(cn) ? cn[0] : cn;
  if (!name)
    throw new DccError(GrpcStatus.UNAUTHENTICATED, 'client certificate carries no User ID (subject CN)');
  try {
    return parseEui64(name, 'client certificate CN');
  } catch {
    throw new DccError(
      GrpcStatus.UNAUTHENTICATED,
      `client certificate CN "${name.slice(0, 64)}" is not a User ID`,
    );
  }
}

/**
 * A comma-separated list of certificate identities (User IDs, EUI-64) from a setting, e.g. the callers an API
 * admits; `setting` names it in errors. Blank entries are ignored; anything else that is not an EUI-64 throws.
 */
export function identityList(value: string, setting: string): ReadonlySet<Eui64> {
  return new Set(
    value
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id !== '')
      .map((id) => parseEui64(id, setting)),
  );
}
