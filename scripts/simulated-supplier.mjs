#!/usr/bin/env node
// `npm start`'s stand-in for a supplier's own system (demonstration only, not part of the hub): answers the
// prepayment service's approval requests on dcc.prepayment.approval.<SUPPLIER_ID>, connected as that supplier's
// own NATS user (NATS_NKEY_SEED_FILE: <run>/nats/supplier-<id>.nk, account SUPPLIER_<id>), approving every customer and treating every meter as in prepayment mode, except accounts starting with
// "CLOSED" (to show a refusal). A real supplier answers from its own customer records (docs/utrn.md).
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';

const { Responder, subjects } = await import('../libs/bus/dist/index.js');
const { TopUpApprovalRequest, TopUpApprovalResponse } = await import('../libs/proto/dist/index.js');
const { connect, nkeyAuthenticator } = await import('@nats-io/transport-node');

const seedFile = process.env.NATS_NKEY_SEED_FILE;
const nc = await connect({
  servers: (process.env.NATS_URL ?? 'nats://127.0.0.1:4222').split(','),
  name: `simulated-supplier ${process.env.SUPPLIER_ID}`,
  maxReconnectAttempts: -1,
  ...(seedFile
    ? { authenticator: nkeyAuthenticator(Buffer.from(readFileSync(seedFile, 'utf8').trim())) }
    : {}),
});
const id = process.env.SUPPLIER_ID;
if (!id) {
  console.error('SUPPLIER_ID: the supplier whose approvals this answers');
  process.exit(2);
}
const responder = new Responder(nc, {
  subject: subjects.prepaymentApproval(id),
  request: TopUpApprovalRequest,
  response: TopUpApprovalResponse,
  handle: (request) => {
    const closed = request.customerId.startsWith('CLOSED');
    console.log(`${id}: ${request.customerId} ${request.amountPence}p → ${closed ? 'refused' : 'approved'}`);
    return closed
      ? { approved: false, reason: `account is closed at ${id}` }
      : { approved: true, reason: '' };
  },
});
console.log(`simulated supplier answering approvals for ${id}`);
const stop = async () => {
  await responder.drain();
  await nc.drain();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
