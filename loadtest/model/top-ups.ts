import { estatePass } from './estate.ts';

/**
 * Which top-up of its meter an iteration of the top-up scenario is: 1 for the first pass over the estate, 2 for
 * the second... A supplier's top-up system issues each device's UTRNs with strictly increasing counters
 * (DCC-REFERENCE §4.1); on a hub that starts empty, the n-th pass's UTRN uses counter block n.
 */
export function topUpNumber(iteration: number, estateSize: number): number {
  return estatePass(iteration, estateSize) + 1;
}
