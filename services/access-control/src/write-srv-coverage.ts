// `npm run docs`: rewrites docs/srv-coverage.md from the code.
import { writeFileSync } from 'node:fs';
import { renderSrvCoverage } from './srv-coverage.js';

const target = new URL('../../../docs/srv-coverage.md', import.meta.url);
writeFileSync(target, renderSrvCoverage());
process.stdout.write(`wrote ${target.pathname}\n`);
