#!/usr/bin/env node
// `npm start`'s stand-in for the development supplier's own system (demonstration only, not part of the hub):
// answers the prepayment service's approval requests on dcc.prepayment.approval.<supplier> for SUPPLIER_IDS,
// approving every customer and treating every meter as in prepayment mode, except accounts starting with
// "CLOSED" (to show a refusal). A real supplier answers from its own customer records (docs/utrn.md).
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';

const { Responder, subjects } = await import('../libs/bus/dist/index.js');
const { TopUpApprovalRequest, TopUpApprovalResponse } = await import('../libs/proto/dist/index.js');
const { connect, nkeyAuthenticator } = await import('@nats-io/transport-node');

const seedFile = process.env.NATS_NKEY_SEED_FILE;
const nc = await connect({
  servers: (process.env.NATS_URL ?? 'nats://127.0.0.1:4222').split(','),
  name: 'simulated-supplier',
  maxReconnectAttempts: -1,
  ...(seedFile
    ? { authenticator: nkeyAuthenticator(Buffer.from(readFileSync(seedFile, 'utf8').trim())) }
    : {}),
});
const responders = (process.env.SUPPLIER_IDS ?? '')
  .split(',')
  .filter(Boolean)
  .map(
    (id) =>
      new Responder(nc, {
        subject: subjects.prepaymentApproval(id),
        request: TopUpApprovalRequest,
        response: TopUpApprovalResponse,
        handle: (request) => {
          const closed = request.customerId.startsWith('CLOSED');
          console.log(
            `${id}: ${request.customerId} ${request.amountPence}p → ${closed ? 'refused' : 'approved'}`,
          );
          return closed
            ? { approved: false, reason: `account is closed at ${id}` }
            : { approved: true, reason: '' };
        },
      }),
  );
console.log(`simulated supplier answering approvals for ${process.env.SUPPLIER_IDS}`);
const stop = async () => {
  await Promise.all(responders.map((r) => r.drain()));
  await nc.drain();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
