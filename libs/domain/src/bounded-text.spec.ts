import { describe, expect, it } from 'vitest';
import { bounded, MAX_MESSAGE_CHARS } from './bounded-text.js';
import { DccError } from './dcc-error.js';

describe('bounded text', () => {
  it('leaves short text alone and cuts long text, saying how long it was', () => {
    expect(bounded('00-DB-12-00-00-00-00-01')).toBe('00-DB-12-00-00-00-00-01');
    const cut = bounded('x'.repeat(1_000_000));
    expect(cut.length).toBeLessThanOrEqual(100);
    expect(cut).toMatch(/^x+… \(1000000 characters\)$/);
  });

  it('never splits a surrogate pair', () => {
    const cut = bounded('😀'.repeat(500), 50);
    // encodeURI (how gRPC encodes a status message) throws on a lone surrogate.
    expect(() => encodeURI(cut)).not.toThrow();
  });

  it('bounds every DccError message, whatever it echoes', () => {
    const error = new DccError(5, `switch ${'9'.repeat(1_048_576)} is unknown`);
    expect(error.message.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    expect(error.message).toMatch(/^switch 9+… \(1048594 characters\)$/);
  });
});
