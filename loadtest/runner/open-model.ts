import { arrivals, type Executor } from '../model/index.ts';

export interface Arrival {
  /** Index into the executors given. */
  stream: number;
  /** The stream's iteration number, from 0. */
  iteration: number;
  intendedStartMs: number;
}

/**
 * Fires every arrival of every executor at its intended time, open-model: an arrival never waits for earlier
 * ones to finish, and one that the event loop could not start on time is started as soon as it can, still
 * carrying its intended start, so latency counts the delay (no coordinated omission). Resolves after the last
 * arrival was fired; `fire` must not block (it starts the iteration and returns).
 */
export async function runArrivals(
  executors: readonly Executor[],
  startMs: number,
  fire: (arrival: Arrival) => void,
): Promise<void> {
  const streams = executors.map((e) => arrivals(e));
  const heads = streams.map((s) => s.next());
  const counts = executors.map(() => 0);
  let fired = 0;
  for (;;) {
    let stream = -1;
    let earliest = Infinity;
    heads.forEach((h, i) => {
      if (!h.done && h.value < earliest) [earliest, stream] = [h.value, i];
    });
    if (stream < 0) return;
    const intendedStartMs = startMs + earliest * 1000;
    const wait = intendedStartMs - Date.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    // A burst of overdue arrivals still lets responses in now and then.
    else if (++fired % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
    fire({ stream, iteration: counts[stream]!++, intendedStartMs });
    heads[stream] = streams[stream]!.next();
  }
}
