import { createPublicKey } from 'node:crypto';
import {
  DccError,
  isUserRoleCode,
  normaliseKaPublicKey,
  parseEui64,
  type Eui64,
  type UserRoleCode,
} from '@dcc/domain';

/** Admitted Users may send requests; suspended ones are refused with E3 until reinstated. */
export type UserStatus = 'admitted' | 'suspended';

export interface User {
  id: Eui64;
  roles: readonly UserRoleCode[];
  /** Absent means admitted (Users from configuration). */
  status?: UserStatus;
  statusReason?: string;
  /** Public keys the User signs critical commands' pre-commands with (none: it cannot send CV 5). */
  signingKeys?: readonly SigningKey[];
  /**
   * A supplier's prepayment top-up KA public key (EC P-256, base64 SPKI DER): the key 6.23 installs on a meter,
   * which then verifies the supplier's UTRNs with it. None: the User cannot take over a meter's prepayment.
   */
  topUpKey?: string;
}

/** A User's registered signing key: ECDSA P-256, the public key as SPKI PEM ("-----BEGIN PUBLIC KEY-----"). */
export interface SigningKey {
  keyId: string;
  publicKeyPem: string;
}

/** Development Users in the DCC Boxed numbering: a supplier, a network operator and an other user. */
export const DEVELOPMENT_USERS: readonly User[] = [
  { id: parseEui64('90-B3-D5-1F-30-01-00-00'), roles: ['IS', 'GS', 'ES'] },
  { id: parseEui64('90-B3-D5-1F-30-02-00-00'), roles: ['ED', 'GT'] },
  { id: parseEui64('90-B3-D5-1F-30-03-00-00'), roles: ['OU'] },
];

/**
 * The Users admitted to the hub, their roles, status and signing keys: an in-memory view that answers every
 * request. The durable record is the USERS key-value bucket (user-store.ts), which keeps this view current.
 */
export class UserDirectory {
  private readonly users: Map<string, User>;

  constructor(users: readonly User[]) {
    this.users = new Map(users.map((u) => [u.id, u]));
  }

  static fromConfig(json: string | undefined): UserDirectory {
    return new UserDirectory(usersFromConfig(json));
  }

  find(id: Eui64): User | undefined {
    return this.users.get(id);
  }

  list(): User[] {
    return [...this.users.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  apply(user: User): void {
    this.users.set(user.id, user);
  }

  remove(id: string): void {
    this.users.delete(id);
  }
}

/** The Users named by the USERS setting (JSON), or the development Users when it is unset. */
export function usersFromConfig(json: string | undefined): readonly User[] {
  if (!json) return DEVELOPMENT_USERS;
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw DccError.invalidArgument(`USERS is not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(raw)) throw DccError.invalidArgument('USERS must be a JSON array of {id, roles}');
  return raw.map(
    (entry: { id?: unknown; roles?: unknown; signingKeys?: unknown; topUpKeyPem?: unknown }, i) => {
      if (typeof entry?.id !== 'string' || !Array.isArray(entry.roles)) {
        throw DccError.invalidArgument(`USERS[${i}] must be {"id": "<EUI-64>", "roles": ["IS", ...]}`);
      }
      const roles = entry.roles.map((r) => {
        if (typeof r !== 'string' || !isUserRoleCode(r))
          throw DccError.invalidArgument(`USERS[${i}]: unknown role ${String(r)}`);
        return r;
      });
      const id = parseEui64(entry.id, `USERS[${i}].id`);
      const user: User = { id, roles };
      return {
        ...user,
        ...(entry.signingKeys === undefined
          ? {}
          : { signingKeys: parseSigningKeys(entry.signingKeys, `USERS[${i}].signingKeys`) }),
        ...(entry.topUpKeyPem === undefined
          ? {}
          : { topUpKey: parseTopUpKey(entry.topUpKeyPem, `USERS[${i}].topUpKeyPem`) }),
      };
    },
  );
}

/** A top-up KA public key (SPKI PEM or base64 DER, EC P-256) in its canonical form, base64 SPKI DER. */
export function parseTopUpKey(raw: unknown, where: string): string {
  if (typeof raw !== 'string') throw DccError.invalidArgument(`${where} must be an EC P-256 public key`);
  return normaliseKaPublicKey(raw, where);
}

/** [{"keyId": "1", "publicKeyPem": "-----BEGIN PUBLIC KEY-----…"}]: each must be an EC P-256 public key. */
export function parseSigningKeys(raw: unknown, where: string): SigningKey[] {
  if (!Array.isArray(raw))
    throw DccError.invalidArgument(`${where} must be an array of {keyId, publicKeyPem}`);
  return raw.map((key: { keyId?: unknown; publicKeyPem?: unknown }, k) => {
    if (typeof key?.keyId !== 'string' || key.keyId === '' || typeof key.publicKeyPem !== 'string') {
      throw DccError.invalidArgument(
        `${where}[${k}] must be {"keyId": "<id>", "publicKeyPem": "<SPKI PEM>"}`,
      );
    }
    let curve: string | undefined;
    try {
      const parsed = createPublicKey(key.publicKeyPem);
      curve = parsed.asymmetricKeyType === 'ec' ? parsed.asymmetricKeyDetails?.namedCurve : undefined;
    } catch (error) {
      throw DccError.invalidArgument(`${where}[${k}].publicKeyPem: ${(error as Error).message}`);
    }
    if (curve !== 'prime256v1') {
      throw DccError.invalidArgument(`${where}[${k}].publicKeyPem is not an ECDSA P-256 public key`);
    }
    return { keyId: key.keyId, publicKeyPem: key.publicKeyPem };
  });
}
