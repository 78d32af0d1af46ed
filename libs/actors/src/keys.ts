import { partitionOf } from '@dcc/domain';

/** Default number of partitions: far more than instances, so ownership can be spread and moved in small steps. */
export const DEFAULT_PARTITIONS = 256;

/** The partition of an actor: FNV-1a of its id modulo P (libs/domain `partitionOf`), stable across releases. */
export function partitionOfActor(actorId: string, partitions: number = DEFAULT_PARTITIONS): number {
  return partitionOf(actorId, partitions);
}

const PLAIN_TOKEN = /^[-\w=]+$/;

/**
 * One NATS subject token (and KV key token) for an arbitrary string: kept as it is when it only has
 * characters valid in a KV key and no '.', otherwise base64url-encoded behind a marker.
 */
export function keyToken(value: string): string {
  if (value.length > 0 && PLAIN_TOKEN.test(value) && !value.startsWith('_B_')) return value;
  return `_B_${Buffer.from(value, 'utf8').toString('base64url')}`;
}

/** Inverse of {@link keyToken}. */
export function fromKeyToken(token: string): string {
  return token.startsWith('_B_') ? Buffer.from(token.slice(3), 'base64url').toString('utf8') : token;
}
