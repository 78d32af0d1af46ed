import type { Eui64 } from '@dcc/domain';
import { consumerApiOfGridFeed, streams, subjects } from './subjects.js';

/**
 * nats-server authorisation of the hub: who may publish and subscribe to what, enforced by the server itself.
 *
 * The hub's services share one NATS user in the account `HUB`, which alone has JetStream. Each network operator
 * (DNO) is a user (an nkey: the configuration holds only public keys) in an account of its own, `DNO_<its id>`,
 * that sees nothing of the hub's but what the hub exports to that account alone:
 * - its grid feeds `grid.<its id>.>` (a stream export: live subscription);
 * - the consumer API of its own feed stream `GRID_<its id>` (service exports: pull the next messages of, read
 *   the info of, and acknowledge messages of the durable consumers the hub made on that stream), imported
 *   under `GRID_JS_API_PREFIX` (a DNO's client: `jetstream(nc, { apiPrefix: GRID_JS_API_PREFIX })`).
 * Why accounts rather than permissions in one account: the server answers a JetStream request, a pull or an
 * acknowledgement on the request's reply subject, which permissions do not check, so in a shared account a DNO
 * allowed to pull could aim the server's answers at a hub subject (`dcc.meter.…`). Across a service import the
 * server replaces the reply subject with one of its own and delivers the answer back in the importing
 * account, so whatever reply a DNO names, the answer lands in the DNO's own account.
 * Within its account the DNO user is further limited to those imports and its own inboxes, so the server
 * refuses (rather than silently ignores) a subscription to another DNO's subjects or a publication into the
 * hub's.
 */
export interface NatsIdentity {
  /** The user's public nkey (starts with 'U'). */
  publicKey: string;
}

export interface NetworkOperatorIdentity extends NatsIdentity {
  id: Eui64;
}

export interface NatsPermissions {
  publish: { allow: string[] };
  subscribe: { allow: string[] };
}

/** The NATS account of the hub's services (JetStream, every subject). */
export const HUB_ACCOUNT = 'HUB';

/** The NATS account of one network operator. */
export const networkOperatorAccount = (dnoId: Eui64): string => `DNO_${dnoId}`;

/**
 * What one DNO's user may do inside its account: subscribe to its grid feeds and its reply inboxes; publish
 * only to the consumer API of its own feed stream (pull, info, acknowledge).
 */
export function networkOperatorPermissions(dnoId: Eui64): NatsPermissions {
  const api = consumerApiOfGridFeed(dnoId);
  return {
    publish: { allow: [api.local.next, api.local.info, api.ack] },
    subscribe: { allow: [subjects.gridOfDno(dnoId), '_INBOX.>'] },
  };
}

/** The `accounts { ... }` block of nats-server.conf for the hub and its network operators. */
export function natsAuthorisationConfig(
  hub: NatsIdentity,
  networkOperators: NetworkOperatorIdentity[],
): string {
  const seen = new Set<string>();
  for (const dno of networkOperators) {
    if (seen.has(dno.id)) throw new Error(`network operator ${dno.id} is listed twice`);
    seen.add(dno.id);
  }
  const exports = networkOperators.flatMap((dno) => {
    const to = `accounts: [${q(networkOperatorAccount(dno.id))}]`;
    const api = consumerApiOfGridFeed(dno.id);
    return [
      `      # network operator ${dno.id}: its feeds, and the consumer API of ${streams.gridFeed(dno.id).name}`,
      `      { stream: ${q(subjects.gridOfDno(dno.id))}, ${to} }`,
      `      { service: ${q(api.hub.next)}, response: stream, ${to} }`,
      `      { service: ${q(api.hub.info)}, ${to} }`,
      `      { service: ${q(api.ack)}, ${to} }`,
    ];
  });
  const dnoAccounts = networkOperators.flatMap((dno) => {
    const from = `account: ${q(HUB_ACCOUNT)}`;
    const api = consumerApiOfGridFeed(dno.id);
    return [
      `  # network operator ${dno.id}: reads its grid feeds (live and durable), publishes into nothing of the hub's`,
      `  ${q(networkOperatorAccount(dno.id))}: {`,
      `    users: [ { nkey: ${q(dno.publicKey)}, permissions: ${permissionsText(networkOperatorPermissions(dno.id))} } ]`,
      '    imports: [',
      `      { stream: { ${from}, subject: ${q(subjects.gridOfDno(dno.id))} } }`,
      `      { service: { ${from}, subject: ${q(api.hub.next)} }, to: ${q(api.local.next)} }`,
      `      { service: { ${from}, subject: ${q(api.hub.info)} }, to: ${q(api.local.info)} }`,
      `      { service: { ${from}, subject: ${q(api.ack)} } }`,
      '    ]',
      '  }',
    ];
  });
  return [
    '# Generated from the registered network operators; regenerated on every start. Do not edit.',
    'accounts {',
    `  # the hub's services: every subject, JetStream`,
    `  ${q(HUB_ACCOUNT)}: {`,
    '    jetstream: enabled',
    `    users: [ { nkey: ${q(hub.publicKey)} } ]`,
    ...(exports.length > 0 ? ['    exports: [', ...exports, '    ]'] : []),
    '  }',
    ...dnoAccounts,
    '}',
    '',
  ].join('\n');
}

function permissionsText(p: NatsPermissions): string {
  const list = (xs: string[]) => `[${xs.map(q).join(', ')}]`;
  return `{ publish: { allow: ${list(p.publish.allow)} }, subscribe: { allow: ${list(p.subscribe.allow)} } }`;
}

/** A quoted configuration string: quoted, `$JS...` is a literal and not a variable reference. */
const q = (s: string): string => JSON.stringify(s);
