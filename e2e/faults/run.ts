// The fault suite from the command line: `npm run faults -- --profile short|full`. Prints one line per
// scenario and a JSON summary; exits 1 when any scenario lost an acknowledged request or duplicated one without
// a crash to explain it.
import { parseArgs } from 'node:util';
import { PROFILES, runSuite } from './suite.js';

const { values } = parseArgs({
  options: { profile: { type: 'string', default: 'short' }, scenarios: { type: 'string' } },
});
const chosen = PROFILES[values.profile!];
if (!chosen) throw new Error(`unknown profile ${values.profile}; one of ${Object.keys(PROFILES).join(', ')}`);
// --scenarios a,b: only those (names as in scenarios.ts), with the profile's rates and timings.
const profile = values.scenarios ? { ...chosen, scenarios: values.scenarios.split(',') } : chosen;
const started = Date.now();
console.log(
  `fault suite, profile ${profile.name}: ${profile.rate}/s for ${profile.loadMs / 1000} s per scenario`,
);
const results = await runSuite(profile, (line) => console.log(line));
console.log(
  JSON.stringify({ profile: profile.name, seconds: Math.round((Date.now() - started) / 1000), results }),
);
process.exit(results.every((r) => r.passed) ? 0 : 1);
