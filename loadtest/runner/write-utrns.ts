// Writes the UTRN file the k6 top-up scenario reads (loadtest/k6/utrns.ts): for each of the first COUNT top-up
// iterations, its meter (the model's derivation) and a UTRN the simulated meters accept, issued as the
// supplier's top-up system would (counter block = which top-up of that meter it is), with the keys of the PKI
// directory the hub under test runs with (its supplier top-up keys and device provisioning secret).
// Usage: write-utrns.ts ESTATE_SIZE COUNT [OUT] [PKI_DIR]  (OUT defaults to .run/loadtest/utrns.json, PKI_DIR
// to .run/pki)
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readPkiDir } from '@dcc/pki';
import { scenario, topUpNumber } from '../model/index.ts';
import { iterationOf } from './iterations.ts';
import { UtrnIssuer } from './utrn-issuer.ts';

const [estateArg, countArg, outArg, pkiArg] = process.argv.slice(2);
const estateSize = Number(estateArg);
const count = Number(countArg);
if (!Number.isInteger(estateSize) || estateSize < 1 || !Number.isInteger(count) || count < 1) {
  console.error('usage: write-utrns.ts ESTATE_SIZE COUNT [OUT] [PKI_DIR]');
  process.exit(2);
}
const root = fileURLToPath(new URL('../..', import.meta.url));
const out = outArg ?? join(root, '.run', 'loadtest', 'utrns.json');
const pki = readPkiDir(pkiArg ?? join(root, '.run', 'pki'));
if (!pki) {
  console.error(`no PKI directory at ${pkiArg ?? '.run/pki'} (npm start makes one)`);
  process.exit(2);
}
const issuer = new UtrnIssuer(pki);
const topUps = scenario('top-ups');
const issued = Array.from({ length: count }, (_, n) => {
  const { device } = iterationOf(topUps, n, 0, estateSize);
  const counter = BigInt(topUpNumber(n, estateSize)) << 32n;
  return { device, utrn: issuer.utrn(topUps.user, device, counter, 1_000) };
});
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(issued));
console.log(`${count} UTRNs for ${estateSize} meters in ${out}`);
