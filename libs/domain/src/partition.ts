/** 32-bit FNV-1a over a string's UTF-16 code units: cheap, stable, and well spread for EUI-64 strings. */
export function fnv1a32(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * The partition a key (a device's EUI-64) belongs to. Stable across processes and releases, because partition
 * ownership and stream subjects depend on it.
 */
export function partitionOf(key: string, partitions: number): number {
  return fnv1a32(key) % partitions;
}
