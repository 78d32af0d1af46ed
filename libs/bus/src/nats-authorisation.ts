import type { Eui64 } from '@dcc/domain';
import { consumers, streams, subjects } from './subjects.js';

/**
 * nats-server authorisation of the hub: who may publish and subscribe to what, enforced by the server itself.
 * The hub's services share one NATS user with every right; each network operator (DNO) is its own NATS user
 * (an nkey: the configuration holds only public keys) that may
 *  - subscribe to its own grid feeds `grid.<its id>.>` and its own reply inboxes `_INBOX_<its id>.>`;
 *  - read its own grid-feed stream and pull from, and acknowledge on, the durable consumers the hub created on it;
 *  - publish nothing else: not into `dcc.>` (the hub's requests, mail, responses, events), not into `grid.>`.
 * A DNO may not create consumers: a push consumer's delivery subject is in the request body, which
 * permissions cannot see, so creating one would let a DNO make the server publish into any subject.
 */
export interface NatsIdentity {
  /** The user's public nkey (starts with 'U'). */
  publicKey: string;
}

export interface NetworkOperatorIdentity extends NatsIdentity {
  id: Eui64;
}

export interface NatsPermissions {
  publish: { allow: string[]; deny: string[] };
  subscribe: { allow: string[] };
}

/** What one DNO's user may do; the JetStream API subjects are scoped to its own stream by name. */
export function networkOperatorPermissions(dnoId: Eui64): NatsPermissions {
  const stream = streams.gridFeed(dnoId).name;
  return {
    publish: {
      allow: [
        `$JS.API.STREAM.INFO.${stream}`,
        `$JS.API.CONSUMER.INFO.${stream}.*`,
        `$JS.API.CONSUMER.MSG.NEXT.${stream}.*`,
        `$JS.ACK.${stream}.>`,
      ],
      // Already outside the allow list; denied explicitly so a later, wider allow cannot open them by mistake.
      deny: ['dcc.>', 'grid.>'],
    },
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
      `    # network operator ${dno.id}: its grid feeds only (durable consumer e.g. ${consumers.gridFeed(dno.id)})`,
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
  return `{ publish: { allow: ${list(p.publish.allow)}, deny: ${list(p.publish.deny)} }, subscribe: { allow: ${list(p.subscribe.allow)} } }`;
}

/** A quoted configuration string: quoted, `$JS...` is a literal and not a variable reference. */
const q = (s: string): string => JSON.stringify(s);
