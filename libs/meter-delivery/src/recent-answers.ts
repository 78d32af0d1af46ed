import { ServiceResponse } from '@dcc/proto';
import { packBytes, unpackBytes } from './packed-bytes.js';

/** Answers an active device keeps: enough for the commands that may still be redelivered unacknowledged. */
const RECENT_ANSWERS = 8;

/**
 * The last few answers of one active device, by stored command, so that a command redelivered before it was
 * acknowledged gets the same answer again (not its meter's replay refusal). Each entry is one flat string: the
 * instant access control accepted the command, a newline, then the answer's protobuf bytes packed
 * (packed-bytes.ts); the answer names its RequestID, which is compared once the instant matches. A decoded
 * ServiceResponse in a Map cost about 950 B of heap per active device (its objects, strings, numbers and the
 * Map's table); this costs the answer's encoded size plus about 60 B, and the list exists only once a device
 * has answered. The price is an encode per answer and a decode per redelivery.
 */
export type RecentAnswers = readonly string[];

const prefixOf = (acceptedAtMs: number) => `${acceptedAtMs}\n`;

/** The answer kept for a stored command (its RequestID and acceptance instant), decoded, or undefined. */
export function recallAnswer(
  recent: RecentAnswers | undefined,
  requestId: string,
  acceptedAtMs: number,
): ServiceResponse | undefined {
  if (recent === undefined) return undefined;
  const prefix = prefixOf(acceptedAtMs);
  for (const entry of recent) {
    if (!entry.startsWith(prefix)) continue;
    const answer = ServiceResponse.decode(unpackBytes(entry, prefix.length));
    // A replay of the RequestID is another stored command (another acceptance), and another RequestID
    // accepted in the same millisecond is another command.
    if (answer.requestId === requestId) return answer;
  }
  return undefined;
}

/**
 * The list with an answer added (the oldest goes beyond RECENT_ANSWERS). Each list is made at its exact length: a
 * pushed-to array reserves room for 17 elements, more than most devices ever keep.
 */
export function rememberAnswer(
  recent: RecentAnswers | undefined,
  acceptedAtMs: number,
  answer: ServiceResponse,
): RecentAnswers {
  const entry = packBytes(ServiceResponse.encode(answer).finish(), prefixOf(acceptedAtMs));
  if (recent === undefined) return [entry];
  return [...recent.slice(recent.length >= RECENT_ANSWERS ? 1 : 0), entry];
}
