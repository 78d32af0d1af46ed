import type { Eui64 } from '@dcc/domain';
import { nkeys } from '@nats-io/transport-node';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { natsAuthorisationConfig } from './nats-authorisation.js';

/** Where the hub's NATS authorisation was written. */
export interface NatsAuthorisationFiles {
  /** nats-server configuration (`nats-server -c <file>`): public keys and permissions, no secrets. */
  configFile: string;
  /** The hub services' nkey seed (NATS_NKEY_SEED_FILE). */
  hubSeedFile: string;
  /** Each network operator's nkey seed, for its subscriber (`nats --nkey <file>`). */
  networkOperatorSeedFiles: Map<Eui64, string>;
  /** Each prepayment supplier's nkey seed, for the system answering its approvals (NATS_NKEY_SEED_FILE). */
  prepaymentSupplierSeedFiles: Map<Eui64, string>;
}

/**
 * Writes nats-server.conf and one nkey seed per identity into `dir` (created 0700; seeds 0600). A seed already
 * there is kept, so a DNO's credentials survive restarts while the configuration follows the operators listed.
 */
export function writeNatsAuthorisation(
  dir: string,
  networkOperatorIds: Eui64[],
  prepaymentSupplierIds: Eui64[] = [],
): NatsAuthorisationFiles {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const hubSeedFile = join(dir, 'hub.nk');
  const hub = { publicKey: userKey(hubSeedFile) };
  const networkOperatorSeedFiles = new Map<Eui64, string>();
  const operators = identities(dir, 'dno', networkOperatorIds, networkOperatorSeedFiles);
  const prepaymentSupplierSeedFiles = new Map<Eui64, string>();
  const suppliers = identities(dir, 'supplier', prepaymentSupplierIds, prepaymentSupplierSeedFiles);
  const configFile = join(dir, 'nats-server.conf');
  writeFileSync(configFile, natsAuthorisationConfig(hub, operators, suppliers), { mode: 0o600 });
  return { configFile, hubSeedFile, networkOperatorSeedFiles, prepaymentSupplierSeedFiles };
}

/** One user per id, its seed in `<dir>/<kind>-<id>.nk` (recorded in `files`). */
function identities(dir: string, kind: string, ids: Eui64[], files: Map<Eui64, string>) {
  return ids.map((id) => {
    const file = join(dir, `${kind}-${id}.nk`);
    files.set(id, file);
    return { id, publicKey: userKey(file) };
  });
}

/** The public key of the user nkey seed in `file`, creating the seed (mode 0600) when there is none. */
function userKey(file: string): string {
  if (!existsSync(file)) {
    const pair = nkeys.createUser();
    writeFileSync(file, `${new TextDecoder().decode(pair.getSeed())}\n`, { mode: 0o600 });
  }
  // The mode also when the file predates this run (a copied .run directory).
  chmodSync(file, 0o600);
  return nkeys.fromSeed(new TextEncoder().encode(readFileSync(file, 'utf8').trim())).getPublicKey();
}
