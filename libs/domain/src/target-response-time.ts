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

/**
 * The Code Performance Measure a Service Response counts under (DCC-REFERENCE §1.6): 1 for on-demand requests, 2
 * for future-dated and DCC-scheduled ones (a schedule's run), which are measured from their execution time.
 */
export type CodePerformanceMeasure = 1 | 2;

export function performanceMeasureOf(response: {
  dspScheduleId?: string | undefined;
}): CodePerformanceMeasure {
  return response.dspScheduleId ? 2 : 1;
}

/**
 * Whether a response answered `elapsedMs` after its request was accepted (a scheduled run: after it fell due)
 * is within its Target Response Time. The hub knows one device TRT (above); a run measured from its execution
 * time is held to the same.
 */
export function withinTrt(_measure: CodePerformanceMeasure, elapsedMs: number): boolean {
  return withinOnDemandTrt(elapsedMs);
}
