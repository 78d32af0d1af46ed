// Measures what sequential DCO processing costs per cohort (docs/performance.md, "SMETS1: the DCO per cohort"):
// `npx tsx --conditions=@dcc/source services/smets1-adapter/test/dco-cost.ts`. Not a test: a measurement.
import { generateKeyPairSync } from 'node:crypto';
import { cpus } from 'node:os';
import { COHORTS, type Cohort } from '../src/cohort.js';
import { Dco } from '../src/dco.js';
import { callOf, smets1Device, storedCommand } from './test-commands.js';

const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });

/** Submits `perCohort` commands to each of `cohorts` at once; resolves with the elapsed ms. */
async function run(cohorts: readonly Cohort[], perCohort: number, processingMs = 0): Promise<number> {
  const dco = new Dco({ keys, processingMs: { IOC: processingMs, MOC: processingMs, FOC: processingMs } });
  const commands = cohorts.flatMap((cohort) =>
    Array.from({ length: perCohort }, (_, n) => ({ cohort, stored: storedCommand(smets1Device(n), cohort) })),
  );
  const started = performance.now();
  await Promise.all(commands.map(({ cohort, stored }) => dco.process(cohort, stored, callOf(stored))));
  return performance.now() - started;
}

const N = 4_000;
await run(COHORTS, 500); // warm-up
const one = await run(['MOC'], N);
const three = await run(COHORTS, N);
const M = 200;
const modelledOne = await run(['MOC'], M, 5);
const modelledThree = await run(COHORTS, M, 5);
const rate = (count: number, ms: number) => Math.round((count / ms) * 1000);
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, node ${process.version}`);
console.log(
  `check + countersign (ECDSA P-256), one cohort, ${N} commands: ${((one / N) * 1000).toFixed(0)} µs each, ${rate(N, one)} commands/s`,
);
console.log(
  `three cohorts at once, ${N} each: ${rate(3 * N, three)} commands/s in all (one process: the CPU is shared)`,
);
console.log(
  `with a modelled 5 ms DCO step: one cohort ${rate(M, modelledOne)}/s, three cohorts ${rate(3 * M, modelledThree)}/s in all`,
);
