/**
 * Target Response Time of an on-demand device Service Request, from its acceptance at the DCC User Interface to
 * its response: about 30 s (DCC-REFERENCE §1.6, unverified against SEC Section H3). The share of responses
 * within it per SRV is the hub's Code Performance Measure 1.
 */
export const ON_DEMAND_TRT_MS = 30_000;

/** Whether a response answered `elapsedMs` after acceptance is within the on-demand TRT. */
export function withinOnDemandTrt(elapsedMs: number): boolean {
  return elapsedMs <= ON_DEMAND_TRT_MS;
}
