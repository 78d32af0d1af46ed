/**
 * How many copies JetStream keeps of each stream and KV bucket the hub creates. It is a property of the
 * deployment (one nats-server locally: 1; a three-node cluster: 3), the same for every stream and bucket of a
 * process, so it is set once at start (service-kit, `STREAM_REPLICAS`) rather than threaded through every
 * call site that creates one. Raising it on a running cluster is safe: an existing stream is updated to it.
 */
let replicas = 1;

export function setJetStreamReplicas(count: number): void {
  if (!Number.isInteger(count) || count < 1 || count > 5) {
    throw new RangeError(`JetStream replicas must be an integer from 1 to 5, not ${count}`);
  }
  replicas = count;
}

export function jetStreamReplicas(): number {
  return replicas;
}
