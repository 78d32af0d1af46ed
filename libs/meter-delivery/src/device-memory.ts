import type { DeviceResult } from '@dcc/meter';
import type { DeviceAnswer } from './delivery-lanes.js';

/** Commands a device remembers having executed (their answers), so a repeated delivery is not run again. */
const REMEMBERED_COMMANDS = 16;

/** The device's answer to a command: its result, or its refusal (a thrown DccError), replayed as given. */
export type RememberedAnswer = () => DeviceResult;

/**
 * A simulated device's memory of the commands it executed lately, by a key naming one stored command (its
 * RequestID and acceptance instant), with the answer it gave. A command's delivery attempts all happen within
 * one turn of the device's actor, while its link is active, so the memory need not outlive the link.
 */
export type DeviceMemory = Map<string, RememberedAnswer>;

/**
 * The device edge's side of at-most-once delivery: a command the device already executed is answered from its
 * memory, never run twice; anything else is run (`run`) and remembered, refusals included.
 */
export function executeOnce(
  memory: DeviceMemory,
  key: string,
  run: () => DeviceResult,
): DeviceAnswer<RememberedAnswer> {
  const remembered = memory.get(key);
  if (remembered) return { result: remembered, executed: false };
  let result: RememberedAnswer;
  let refused = false;
  try {
    const done = run();
    result = () => done;
  } catch (error) {
    // A refusal by the device's own rules is its answer too: a repeat gets the same refusal.
    refused = true;
    result = () => {
      throw error;
    };
  }
  memory.set(key, result);
  if (memory.size > REMEMBERED_COMMANDS) memory.delete(memory.keys().next().value!);
  return { result, executed: true, refused };
}
