import { CREDENTIAL_TYPES, REMOTE_PARTY_ROLES } from '../security-credentials.js';
import { listOf, oneOf, type BodyRule } from './body-rules.js';

/** Wire numbers (security_credentials_read.proto) of each value: its place in the list, from 1. */
const numbered = (names: readonly string[]): Record<number, string> =>
  Object.fromEntries(names.map((name, i) => [i + 1, name]));

/** 6.17, 6.24.2: DUIS CredentialType, required, as SecurityCredentialType numbers it. */
export const credentialTypeRules: readonly BodyRule[] = [oneOf('credentialType', numbered(CREDENTIAL_TYPES))];

/** A role asked for twice would be answered twice: DUIS lists each once. */
const distinctRoles: BodyRule = (fields) => {
  const roles = fields['remotePartyRoles'];
  return Array.isArray(roles) && new Set(roles).size !== roles.length
    ? 'remotePartyRoles must name each role once'
    : undefined;
};

/** 6.24.1: DUIS RemotePartyRole, one or more, each a known role and each once. */
export const remotePartyRolesRules: readonly BodyRule[] = [
  listOf('remotePartyRoles', 1, REMOTE_PARTY_ROLES.length, (name) =>
    oneOf(name, numbered(REMOTE_PARTY_ROLES)),
  ),
  distinctRoles,
];
