import { describe, expect, it } from 'vitest';
import { UserResponseLedger } from './response-ledger.js';

describe('UserResponseLedger', () => {
  it('remembers the last 10,000 confirmations and forgets the oldest beyond them', () => {
    const ledger = new UserResponseLedger();
    for (let s = 1; s <= 10_000; s++) ledger.confirm(s);
    ledger.confirm(5_000); // confirmed again: still one entry, and not younger
    expect(ledger.isConfirmed(1)).toBe(true);
    ledger.confirm(10_001);
    expect(ledger.isConfirmed(1)).toBe(false);
    expect(ledger.isConfirmed(2)).toBe(true);
    for (let s = 10_002; s <= 25_000; s++) ledger.confirm(s);
    expect(ledger.isConfirmed(15_000)).toBe(false);
    expect(ledger.isConfirmed(15_001)).toBe(true);
    expect(ledger.isConfirmed(25_000)).toBe(true);
  });

  it('releases a held response without confirming it', () => {
    const ledger = new UserResponseLedger();
    const holder = { redelivered: () => undefined };
    ledger.hold(7, holder);
    expect(ledger.holderOf(7)).toBe(holder);
    expect(ledger.idle).toBe(false);
    ledger.release(7);
    expect(ledger.holderOf(7)).toBeUndefined();
    expect(ledger.isConfirmed(7)).toBe(false);
    ledger.confirm(8);
    expect(ledger.isConfirmed(8)).toBe(true);
    expect(ledger.idle).toBe(true);
  });
});
