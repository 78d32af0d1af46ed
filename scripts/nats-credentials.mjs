#!/usr/bin/env node
// The NATS authorisation of a deployed hub (the Helm chart's nats.authorization and natsCredentials.hubSeed):
//   npm run build && node scripts/nats-credentials.mjs <dir> [<network operator id> ...]
// writes <dir>/nats-server.conf (public nkeys and each network operator's permissions, no secrets), <dir>/hub.nk
// (the services' seed) and <dir>/dno-<id>.nk (each operator's seed, to hand to it), the same generation as
// `npm start`'s (libs/bus nats-credentials.ts). Seeds already in <dir> are kept, so running it again after
// admitting an operator changes only the configuration: keep <dir> safe, it holds every seed.
import { resolve } from 'node:path';

const [dir, ...operators] = process.argv.slice(2);
if (!dir) {
  console.error('usage: node scripts/nats-credentials.mjs <dir> [<network operator id> ...]');
  process.exit(2);
}
const { writeNatsAuthorisation } = await import('../libs/bus/dist/index.js');
const files = writeNatsAuthorisation(resolve(dir), operators);
console.log(`nats-server authorisation: ${files.configFile}`);
console.log(`the hub's seed: ${files.hubSeedFile}`);
for (const [id, file] of files.networkOperatorSeedFiles) console.log(`network operator ${id}: ${file}`);
