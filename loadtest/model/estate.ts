/**
 * The estate the load is spread over, and how an iteration picks its meter: arithmetically, so a k6 VU, the
 * in-repo runner and the hub's simulated fleet agree on every meter from a number alone, with nothing to load.
 * Plain TypeScript with no Node or k6 import: k6 scripts and Node code both import it.
 */

/** Meter points in a national estate: DCC-REFERENCE §10 gives ~32 M in 2024; the hub is designed for 30 M. */
export const ESTATE_METERS = 30_000_000;

/**
 * Device id of meter `index`: 00-DB-12-00-00-00-00-00 plus the index, the same arithmetic as the SMETS2 adapter's
 * simulated fleet (libs/meter SimulatedFleet), so every derived meter exists at the device edge. Indexes stay
 * below 2^32, which keeps this free of BigInt.
 */
export function meterId(index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= 2 ** 32) {
    throw new RangeError(`meter index ${index} must be an integer from 0 to 2^32 - 1`);
  }
  const hex = index.toString(16).toUpperCase().padStart(8, '0');
  return `00-DB-12-00-${hex.slice(0, 2)}-${hex.slice(2, 4)}-${hex.slice(4, 6)}-${hex.slice(6, 8)}`;
}

/** A large odd step that is prime to 2, 3, 5 and 7, so most estate sizes are walked in full before a repeat. */
const STRIDE = 7_368_787;

/**
 * The meter for a scenario's `iteration`: `(offset + iteration × stride) mod estateSize`, with a stride prime to
 * the estate size. Consecutive iterations land far apart, and `estateSize` consecutive iterations hit every meter
 * exactly once, so an iteration hits a meter no earlier iteration of that scenario hit until the estate is used up.
 * Each scenario has its own offset, so scenarios running together start on different meters.
 */
export function meterIndex(iteration: number, estateSize: number, scenarioOffset = 0): number {
  if (!Number.isInteger(estateSize) || estateSize < 1) throw new RangeError(`estate size ${estateSize}`);
  const stride = strideFor(estateSize);
  // (i mod n) × (stride mod n) < n² ≤ 2^53 for n up to ~94 M: exact in doubles.
  const step = ((iteration % estateSize) * stride) % estateSize;
  return (step + (scenarioOffset % estateSize)) % estateSize;
}

/** How many times the estate was walked in full before `iteration`: 0 for the first pass. */
export function estatePass(iteration: number, estateSize: number): number {
  return Math.floor(iteration / estateSize);
}

function strideFor(n: number): number {
  let stride = STRIDE % n;
  if (stride === 0) stride = 1;
  while (gcd(stride, n) !== 1) stride = (stride + 1) % n || 1;
  return stride;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}
