import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';

/**
 * Who owns the partitions of a delivery path now, as the actor runtime's leases say (libs/actors
 * partition-leases.ts: KV bucket `meter_leases_<path>`, key `p.<partition>` = the owner's instance id): the
 * number of partitions per instance id.
 */
export async function partitionOwners(
  nc: NatsConnection,
  path: 's1' | 's2',
  partitions: number,
): Promise<Map<string, number>> {
  const kv = await new Kvm(nc).open(`meter_leases_${path}`);
  const owners = new Map<string, number>();
  // One get per partition (a direct read): listing the keys would open a consumer each time.
  const entries = await Promise.all(Array.from({ length: partitions }, (_, p) => kv.get(`p.${p}`)));
  for (const entry of entries) {
    if (!entry || entry.operation !== 'PUT') continue;
    const owner = entry.string();
    owners.set(owner, (owners.get(owner) ?? 0) + 1);
  }
  return owners;
}

/** "a=16 b=16": an ownership map for a log line or an assertion message. */
export function formatOwners(owners: Map<string, number>): string {
  return [...owners.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, n]) => `${id}=${n}`)
    .join(' ');
}
