import { describe, expect, it } from 'vitest';
import { OutboundBatch } from '../src/outbound-batch.js';

describe('OutboundBatch', () => {
  it('holds the sends of a loop turn and runs them together, in order, after its I/O callbacks', async () => {
    const batch = new OutboundBatch();
    const ran: string[] = [];
    batch.run(() => ran.push('a'));
    setTimeout(() => undefined, 0); // other work of the turn
    batch.run(() => ran.push('b'));
    await Promise.resolve();
    expect(ran).toEqual([]); // not in a microtask: the client would flush each microtask checkpoint's sends alone
    await new Promise((resolve) => setImmediate(resolve));
    expect(ran).toEqual(['a', 'b']);
  });

  it('flush runs what is queued at once, and a send that throws reaches its own error handler only', () => {
    const batch = new OutboundBatch();
    const ran: string[] = [];
    const errors: string[] = [];
    batch.run(() => ran.push('first'));
    batch.run(
      () => {
        throw new Error('connection closed');
      },
      (e) => errors.push((e as Error).message),
    );
    batch.run(() => ran.push('third'));
    batch.flush();
    expect(ran).toEqual(['first', 'third']);
    expect(errors).toEqual(['connection closed']);
  });
});
