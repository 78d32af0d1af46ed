// A smets1-adapter instance's DCO side as its own OS process (dco-lanes.spec.ts SIGKILLs it): holds lanes and
// countersigns what is handed to it. Env: NATS_URL, INSTANCE_ID, DCO_LANES_BUCKET, DCO_KEY_PEM, DCO_PUBLIC_KEY_PEM.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { laneInstance } from './lane-instances.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} unset`);
  return value;
};

const instance = await laneInstance({
  name: env('INSTANCE_ID'),
  natsUrl: env('NATS_URL'),
  keys: {
    privateKey: createPrivateKey(env('DCO_KEY_PEM')),
    publicKey: createPublicKey(env('DCO_PUBLIC_KEY_PEM')),
  },
  bucket: env('DCO_LANES_BUCKET'),
});
// Tells the test which lanes it holds, whenever that changes.
let said = '';
setInterval(() => {
  const held = instance.lanes.heldCohorts.join(',');
  if (held !== said) console.log(`holding [${(said = held)}]`);
}, 20);
