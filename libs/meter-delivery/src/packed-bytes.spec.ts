import { describe, expect, it } from 'vitest';
import { packBytes, unpackBytes } from './packed-bytes.js';

describe('packed bytes', () => {
  it('holds every byte value, with or without a prefix, and gives back a copy', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(unpackBytes(packBytes(bytes))).toEqual(Buffer.from(bytes));
    const packed = packBytes(bytes.subarray(10, 20), 'key\n');
    expect(packed).toHaveLength(14);
    expect(unpackBytes(packed, 4)).toEqual(Buffer.from(bytes.subarray(10, 20)));
    expect(unpackBytes(packed, 4).buffer).not.toBe(bytes.buffer);
  });
});
