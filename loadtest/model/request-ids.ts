/**
 * RequestID counters that say when a request was meant to start and which scenario sent it:
 * `intendedStartMs × 1000 + scenarioIndex × 100 + iteration mod 100`. They grow with time, as DUIS requires per
 * originator and target, and a response's RequestID alone gives its submit → I0 latency measured from the
 * intended start (no coordinated omission), in k6 as in the runner. Below 2^53 until the year 2255.
 */
export function requestCounter(intendedStartMs: number, scenarioIndex: number, iteration: number): string {
  if (!Number.isInteger(scenarioIndex) || scenarioIndex < 0 || scenarioIndex > 9) {
    throw new RangeError(`scenario index ${scenarioIndex} must be 0-9`);
  }
  return String(Math.floor(intendedStartMs) * 1000 + scenarioIndex * 100 + (iteration % 100));
}

export function requestId(originator: string, target: string, counter: string): string {
  return `${originator}:${target}:${counter}`;
}

export interface CounterFacts {
  intendedStartMs: number;
  scenarioIndex: number;
}

/** The facts a load-test RequestID carries; undefined for a RequestID this model did not make. */
export function counterFacts(requestIdText: string): CounterFacts | undefined {
  const counter = requestIdText.split(':')[2];
  if (!counter || !/^[0-9]{13,16}$/.test(counter)) return undefined;
  const value = Number(counter);
  return { intendedStartMs: Math.floor(value / 1000), scenarioIndex: Math.floor((value % 1000) / 100) };
}
