import type { HanEntry } from './meter-state.js';

/**
 * How many devices one device may be joined with on the HAN (8.7), and how many entries a CHF's or GPF's
 * device log holds (8.11). DCC-REFERENCE quotes neither; these are the model's capacities (inferred), and a
 * command that would exceed one is refused by the device (DEVICE_LOG_FULL) rather than dropping an entry.
 */
export const HAN_CAPACITY = { joins: 8, deviceLog: 16 } as const;

/** The entry for `deviceId`, if the list has one. */
export function findEntry(entries: readonly HanEntry[], deviceId: string): HanEntry | undefined {
  return entries.find((entry) => entry.deviceId === deviceId);
}

/**
 * Adds or replaces the entry for `entry.deviceId`. A device already listed keeps its place and its original
 * time (a repeated join or whitelisting is not a new relation); its install code flag follows the latest.
 * Answers whether the list changed, or 'full' when a new entry does not fit.
 */
export function putEntry(entries: HanEntry[], entry: HanEntry, capacity: number): boolean | 'full' {
  const existing = findEntry(entries, entry.deviceId);
  if (existing) {
    const changed = existing.installCode !== entry.installCode;
    existing.installCode = entry.installCode;
    return changed;
  }
  if (entries.length >= capacity) return 'full';
  entries.push(entry);
  return true;
}

/** Removes the entry for `deviceId`; answers whether there was one. */
export function removeEntry(entries: HanEntry[], deviceId: string): boolean {
  const at = entries.findIndex((entry) => entry.deviceId === deviceId);
  if (at < 0) return false;
  entries.splice(at, 1);
  return true;
}
