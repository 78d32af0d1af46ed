// A User's response reader as its own OS process, so tests can stop and kill it with real signals:
//   node --conditions=@dcc/source --import tsx e2e/src/response-reader.ts <address> <userId>
// It behaves as an integrator should: it records each response (one line "<delivery> <responseId>" on stdout,
// written synchronously) and only then confirms it.
import { writeSync } from 'node:fs';
import { HubClient } from './hub-client.js';

const [address, userId] = process.argv.slice(2);
if (!address || userId === undefined) {
  process.stderr.write('usage: response-reader <address> <userId>\n');
  process.exit(2);
}
const client = new HubClient(address);
const subscription = client.responses(
  userId,
  (response, delivery) => {
    writeSync(1, `${delivery} ${response.responseId}\n`);
    subscription.confirm(delivery);
  },
  { confirm: 'manual' },
);
void subscription.ended.then((error) => {
  if (error) process.stderr.write(`response stream ended: ${error.message}\n`);
  process.exit(error ? 1 : 0);
});
