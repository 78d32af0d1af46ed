import type { Eui64 } from '@dcc/domain';
import { subjects } from './subjects.js';

/**
 * nats-server authorisation of the hub: who may publish and subscribe to what, enforced by the server itself.
 * The hub's services share one NATS user with every right; each network operator (DNO) is its own NATS user
 * (an nkey: the configuration holds only public keys) that may subscribe to its own grid feeds
 * `grid.<its id>.>` and its own reply inboxes `_INBOX_<its id>.>`, and may publish nothing at all.
 * Publishing nothing is deliberate: the server answers a JetStream API request, an acknowledgement or a pull on
 * the request's reply subject, which permissions do not check, so any such right would let a DNO make the server
 * publish into the hub's subjects (tried: a pull with reply `dcc.meter.…` lands there). Durable catch-up for a
 * DNO therefore needs its own NATS account, importing its stream's consumer API from the hub's account, so that
 * replies cannot leave its account.
 */
export interface NatsIdentity {
  /** The user's public nkey (starts with 'U'). */
  publicKey: string;
}

export interface NetworkOperatorIdentity extends NatsIdentity {
  id: Eui64;
}

export interface NatsPermissions {
  publish: { deny: string[] };
  subscribe: { allow: string[] };
}

/** What one DNO's user may do: read its own grid subjects, publish nothing. */
export function networkOperatorPermissions(dnoId: Eui64): NatsPermissions {
  return {
    publish: { deny: ['>'] },
    subscribe: { allow: [subjects.gridOfDno(dnoId), `${subjects.gridInboxPrefix(dnoId)}.>`] },
  };
}

/** The `authorization { users = [...] }` block of nats-server.conf for the hub and its network operators. */
export function natsAuthorisationConfig(
  hub: NatsIdentity,
  networkOperators: NetworkOperatorIdentity[],
): string {
  const seen = new Set<string>();
  for (const dno of networkOperators) {
    if (seen.has(dno.id)) throw new Error(`network operator ${dno.id} is listed twice`);
    seen.add(dno.id);
  }
  const users = [
    `    # the hub's services: every subject`,
    `    { nkey: ${q(hub.publicKey)} }`,
    ...networkOperators.flatMap((dno) => [
      `    # network operator ${dno.id}: subscribes to its grid feeds only, publishes nothing`,
      `    { nkey: ${q(dno.publicKey)}, permissions: ${permissionsText(networkOperatorPermissions(dno.id))} }`,
    ]),
  ];
  return [
    '# Generated from the registered network operators; regenerated on every start. Do not edit.',
    'authorization {',
    '  users = [',
    ...users,
    '  ]',
    '}',
    '',
  ].join('\n');
}

function permissionsText(p: NatsPermissions): string {
  const list = (xs: string[]) => `[${xs.map(q).join(', ')}]`;
  return `{ publish: { deny: ${list(p.publish.deny)} }, subscribe: { allow: ${list(p.subscribe.allow)} } }`;
}

/** A quoted configuration string: quoted, `$JS...` is a literal and not a variable reference. */
const q = (s: string): string => JSON.stringify(s);
