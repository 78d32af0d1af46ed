#!/usr/bin/env node
// `npm test`: every test of the repository. Integration tests start their own nats-server (libs/testkit), so the
// only prerequisite is the nats-server binary, installed here when missing.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = (command, args) => spawnSync(command, args, { cwd: root, stdio: 'inherit' }).status ?? 1;

if (run('bash', ['scripts/install-tools.sh', 'nats-server']) !== 0) process.exit(1);
process.exit(run('npx', ['vitest', 'run', ...process.argv.slice(2)]));
