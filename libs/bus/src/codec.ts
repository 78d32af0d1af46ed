import { DccError } from '@dcc/domain';

/** What a ts-proto encode writes into and returns: the slice of @bufbuild/protobuf's BinaryWriter used here. */
interface Writer {
  finish(): Uint8Array;
}

/** The slice of a ts-proto MessageFns that the bus needs. */
export interface Codec<T> {
  // Method syntax: its parameters compare bivariantly, so ts-proto's encode(message, writer: BinaryWriter) fits.
  encode(message: T, writer?: Writer): Writer;
  decode(input: Uint8Array): T;
}

/**
 * One writer per codec, reused: a fresh one starts at 128 bytes and doubles (allocating and copying) until the
 * message fits, for every message; a reused one keeps its grown buffer, and finish() copies out the bytes written
 * and rewinds it. Encoding is synchronous, so no two encodes share a writer at once.
 */
const writers = new WeakMap<object, Writer>();
/** A writer grown past this by a rare large message (a firmware image) is not kept, so it cannot pin the memory. */
const KEPT_WRITER_BYTES = 64 * 1024;

export function encode<T>(codec: Codec<T>, message: T): Uint8Array {
  const kept = writers.get(codec);
  try {
    const writer = codec.encode(message, kept);
    const bytes = writer.finish();
    if (bytes.length > KEPT_WRITER_BYTES) writers.delete(codec);
    else if (!kept) writers.set(codec, writer);
    return bytes;
  } catch (error) {
    kept?.finish(); // a throw mid-message leaves bytes behind: rewind before the next encode
    throw error;
  }
}

/** Decodes or throws INVALID_ARGUMENT naming what could not be decoded. */
export function decode<T>(codec: Codec<T>, bytes: Uint8Array, what: string): T {
  try {
    return codec.decode(bytes);
  } catch (error) {
    throw DccError.invalidArgument(`malformed ${what}: ${(error as Error).message}`);
  }
}
