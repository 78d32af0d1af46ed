import { DccError } from '@dcc/domain';

/** The slice of a ts-proto MessageFns that the bus needs. */
export interface Codec<T> {
  encode(message: T): { finish(): Uint8Array };
  decode(input: Uint8Array): T;
}

export function encode<T>(codec: Codec<T>, message: T): Uint8Array {
  return codec.encode(message).finish();
}

/** Decodes or throws INVALID_ARGUMENT naming what could not be decoded. */
export function decode<T>(codec: Codec<T>, bytes: Uint8Array, what: string): T {
  try {
    return codec.decode(bytes);
  } catch (error) {
    throw DccError.invalidArgument(`malformed ${what}: ${(error as Error).message}`);
  }
}
