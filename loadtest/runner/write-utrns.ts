// Writes the UTRN file the k6 top-up scenario reads (loadtest/k6/utrns.ts): for each of the first COUNT top-up
// iterations, its meter (the model's derivation) and a UTRN the simulated meters accept, issued as the
// supplier's top-up system would (counter block = which top-up of that meter it is).
// Usage: write-utrns.ts ESTATE_SIZE COUNT [OUT]  (OUT defaults to .run/loadtest/utrns.json)
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createUtrn } from '@dcc/meter';
import { scenario, topUpNumber } from '../model/index.ts';
import { iterationOf } from './iterations.ts';

const [estateArg, countArg, outArg] = process.argv.slice(2);
const estateSize = Number(estateArg);
const count = Number(countArg);
if (!Number.isInteger(estateSize) || estateSize < 1 || !Number.isInteger(count) || count < 1) {
  console.error('usage: write-utrns.ts ESTATE_SIZE COUNT [OUT]');
  process.exit(2);
}
const out =
  outArg ?? join(fileURLToPath(new URL('../..', import.meta.url)), '.run', 'loadtest', 'utrns.json');
const topUps = scenario('top-ups');
const issued = Array.from({ length: count }, (_, n) => {
  const { device } = iterationOf(topUps, n, 0, estateSize);
  const counter = BigInt(topUpNumber(n, estateSize)) << 32n;
  return { device, utrn: createUtrn({ supplierId: topUps.user, deviceId: device, counter, pence: 1_000 }) };
});
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(issued));
console.log(`${count} UTRNs for ${estateSize} meters in ${out}`);
