/**
 * Error messages echo what callers sent (identifiers, names), and they travel in places with small limits: a
 * gRPC status message is a trailer, and a trailer bigger than the peer's header limit hangs the call. So every
 * echoed value, and every message as a whole, is bounded here.
 */

/** The longest an error message may be, in characters. */
export const MAX_MESSAGE_CHARS = 1_000;

/** The longest an echoed value may be inside a message, in characters. */
export const MAX_ECHO_CHARS = 100;

/**
 * `text` cut to at most `max` characters (never inside a surrogate pair), marked with how long it was: what a
 * message may quote of a caller's value.
 */
export function bounded(text: string, max: number = MAX_ECHO_CHARS): string {
  if (text.length <= max) return text;
  const note = `… (${text.length} characters)`;
  let end = Math.max(0, max - note.length);
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--; // a high surrogate without its pair would be malformed
  return text.slice(0, end) + note;
}
