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
 *
 * Each prepayment supplier (a User whose top-ups the prepayment service issues) answers the service's approval
 * requests from its own system, as a user in an account of its own, `SUPPLIER_<its id>`. The hub is the
 * requester, so the supplier's account exports one service, its approval subject
 * `dcc.prepayment.approval.<its id>`, to the hub's account alone, which imports it: the hub's request crosses
 * into the supplier's account with a reply subject the server makes for it, and the supplier's answer goes back
 * across the import. The supplier user may subscribe to that one subject and publish nothing but the answer
 * to a request it received (`allow_responses`), so it sees no hub subject and no other supplier's approvals.
 */
export interface NatsIdentity {
  /** The user's public nkey (starts with 'U'). */
  publicKey: string;
}

export interface NetworkOperatorIdentity extends NatsIdentity {
  id: Eui64;
}

export interface PrepaymentSupplierIdentity extends NatsIdentity {
  id: Eui64;
}

export interface NatsPermissions {
  /** Absent with `allowResponses`: nothing may be published but the answers to requests received. */
  publish?: { allow: string[] };
  subscribe: { allow: string[] };
  /** May answer (once) each request delivered to it, on the reply subject the request names. */
  allowResponses?: boolean;
}

/** The NATS account of the hub's services (JetStream, every subject). */
export const HUB_ACCOUNT = 'HUB';

/** The NATS account of one network operator. */
export const networkOperatorAccount = (dnoId: Eui64): string => `DNO_${dnoId}`;

/** The NATS account of one prepayment supplier's own system. */
export const prepaymentSupplierAccount = (supplierId: Eui64): string => `SUPPLIER_${supplierId}`;

/** What one supplier's user may do: receive its own approval requests and answer each of them, nothing else. */
export function prepaymentSupplierPermissions(supplierId: Eui64): NatsPermissions {
  return { subscribe: { allow: [subjects.prepaymentApproval(supplierId)] }, allowResponses: true };
}

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

/** The `accounts { ... }` block of nats-server.conf for the hub, its network operators and its suppliers. */
export function natsAuthorisationConfig(
  hub: NatsIdentity,
  networkOperators: NetworkOperatorIdentity[],
  prepaymentSuppliers: PrepaymentSupplierIdentity[] = [],
): string {
  refuseTwice('network operator', networkOperators);
  refuseTwice('prepayment supplier', prepaymentSuppliers);
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
  const imports = prepaymentSuppliers.map(
    (supplier) =>
      `      { service: { account: ${q(prepaymentSupplierAccount(supplier.id))}, subject: ${q(subjects.prepaymentApproval(supplier.id))} } }`,
  );
  const supplierAccounts = prepaymentSuppliers.flatMap((supplier) => [
    `  # prepayment supplier ${supplier.id}: answers the hub's approval requests for its top-ups, sees nothing else`,
    `  ${q(prepaymentSupplierAccount(supplier.id))}: {`,
    `    users: [ { nkey: ${q(supplier.publicKey)}, permissions: ${permissionsText(prepaymentSupplierPermissions(supplier.id))} } ]`,
    `    exports: [ { service: ${q(subjects.prepaymentApproval(supplier.id))}, accounts: [${q(HUB_ACCOUNT)}] } ]`,
    '  }',
  ]);
  return [
    '# Generated from the registered network operators and prepayment suppliers; regenerated on every start. Do not edit.',
    'accounts {',
    `  # the hub's services: every subject, JetStream`,
    `  ${q(HUB_ACCOUNT)}: {`,
    '    jetstream: enabled',
    `    users: [ { nkey: ${q(hub.publicKey)} } ]`,
    ...(exports.length > 0 ? ['    exports: [', ...exports, '    ]'] : []),
    ...(imports.length > 0 ? ['    imports: [', ...imports, '    ]'] : []),
    '  }',
    ...dnoAccounts,
    ...supplierAccounts,
    '}',
    '',
  ].join('\n');
}

function refuseTwice(what: string, identities: { id: Eui64 }[]): void {
  const seen = new Set<string>();
  for (const { id } of identities) {
    if (seen.has(id)) throw new Error(`${what} ${id} is listed twice`);
    seen.add(id);
  }
}

function permissionsText(p: NatsPermissions): string {
  const list = (xs: string[]) => `[${xs.map(q).join(', ')}]`;
  return `{ ${[
    ...(p.publish ? [`publish: { allow: ${list(p.publish.allow)} }`] : []),
    `subscribe: { allow: ${list(p.subscribe.allow)} }`,
    // Without a publish list the server then allows no publication but these answers.
    ...(p.allowResponses ? ['allow_responses: true'] : []),
  ].join(', ')} }`;
}

/** A quoted configuration string: quoted, `$JS...` is a literal and not a variable reference. */
const q = (s: string): string => JSON.stringify(s);
