// The fault suite's User client as its own OS process, so it can be stopped (SIGSTOP) and killed (SIGKILL) like
// a real one. Every response it has is written to stdout as one JSON line at once (pipes are synchronous on
// Linux): what this process printed is exactly what the User had when it died.
import { readResponses } from './response-reader.js';

const address = process.env['HUB_ADDRESS'];
const userId = process.env['USER_ID'];
if (!address || !userId) throw new Error('HUB_ADDRESS and USER_ID are required');
// HUB_ADDRESS may list several access-control instances, comma-separated.
const reader = readResponses(address.split(','), userId, (response) =>
  process.stdout.write(`${JSON.stringify(response)}\n`),
);
process.on('SIGTERM', () => {
  reader.stop();
  process.exit(0);
});
