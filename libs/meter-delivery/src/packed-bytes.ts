/**
 * Bytes kept for a long time by an active device (its stored state, its recent answers) as a latin1 string, one
 * character per byte. V8 holds a flat one-byte string as a 16 B header plus its length, all on the heap; a
 * Uint8Array of the same bytes costs about 220 B more (the view, its ArrayBuffer and the backing store's record).
 * The string is made in one piece from a buffer: joining strings in JavaScript would make a rope (a cons string,
 * 32 B more, and both parts kept). Converting costs a copy each way, about a microsecond for a meter's state.
 */
export function packBytes(bytes: Uint8Array, prefix = ''): string {
  const packed = Buffer.allocUnsafe(prefix.length + bytes.byteLength);
  packed.write(prefix, 0, 'latin1');
  packed.set(bytes, prefix.length);
  return packed.toString('latin1');
}

/** The bytes a packBytes string holds from `start` on (a fresh copy). */
export function unpackBytes(packed: string, start = 0): Uint8Array {
  return Buffer.from(start === 0 ? packed : packed.slice(start), 'latin1');
}
