interface WritableLike<T> {
  write(message: T): boolean;
  once(event: 'drain', listener: () => void): unknown;
}

const waiting = new WeakMap<object, Promise<void>>();

/**
 * Writes to a gRPC stream and, when its buffer is full, returns a promise for the next 'drain' shared by every
 * writer of that stream (one listener, however many concurrent writers wait).
 */
export function writeRespectingBackpressure<T>(
  stream: WritableLike<T>,
  message: T,
): Promise<void> | undefined {
  if (stream.write(message)) return undefined;
  let drained = waiting.get(stream);
  if (!drained) {
    drained = new Promise<void>((resolve) =>
      stream.once('drain', () => {
        waiting.delete(stream);
        resolve();
      }),
    );
    waiting.set(stream, drained);
  }
  return drained;
}
