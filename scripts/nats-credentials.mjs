#!/usr/bin/env node
// The NATS authorisation of a deployed hub (the Helm chart's nats.authorization and natsCredentials.hubSeed):
//   npm run build && PREPAYMENT_SUPPLIER_IDS=<id>,... node scripts/nats-credentials.mjs <dir> [<network operator id> ...]
// writes <dir>/nats-server.conf (public nkeys and each network operator's and supplier's permissions, no
// secrets), <dir>/hub.nk (the services' seed), <dir>/dno-<id>.nk (each operator's seed, to hand to it) and
// <dir>/supplier-<id>.nk (the seed of each supplier the prepayment service issues for, PREPAYMENT_SUPPLIER_IDS as
// the service is configured, for the supplier's system answering its approvals), the same generation as
// `npm start`'s (libs/bus nats-credentials.ts). Seeds already in <dir> are kept, so running it again after
// admitting an operator changes only the configuration: keep <dir> safe, it holds every seed.
import { resolve } from 'node:path';

const [dir, ...operators] = process.argv.slice(2);
if (!dir) {
  console.error('usage: node scripts/nats-credentials.mjs <dir> [<network operator id> ...]');
  process.exit(2);
}
const { writeNatsAuthorisation } = await import('../libs/bus/dist/index.js');
const suppliers = (process.env.PREPAYMENT_SUPPLIER_IDS ?? '').split(',').filter(Boolean);
const files = writeNatsAuthorisation(resolve(dir), operators, suppliers);
console.log(`nats-server authorisation: ${files.configFile}`);
console.log(`the hub's seed: ${files.hubSeedFile}`);
for (const [id, file] of files.networkOperatorSeedFiles) console.log(`network operator ${id}: ${file}`);
for (const [id, file] of files.prepaymentSupplierSeedFiles) console.log(`prepayment supplier ${id}: ${file}`);
