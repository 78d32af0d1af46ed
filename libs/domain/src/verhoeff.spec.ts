import { describe, expect, it } from 'vitest';
import { verhoeffCheckDigit, verhoeffValid } from './verhoeff.js';

/** Deterministic digits for property checks (xorshift32). */
function digits(seed: number, length: number): string {
  let x = seed || 1;
  let out = '';
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out += String((x >>> 0) % 10);
  }
  return out;
}

describe('Verhoeff check digit (textbook)', () => {
  it('matches the published examples', () => {
    expect(verhoeffCheckDigit('236')).toBe(3);
    expect(verhoeffValid('2363')).toBe(true);
    expect(verhoeffCheckDigit('12345')).toBe(1);
    expect(verhoeffValid('123451')).toBe(true);
    expect(verhoeffValid('123452')).toBe(false);
  });

  it('catches every single-digit error and every adjacent transposition of 19-digit numbers', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const body = digits(seed, 19);
      const full = body + verhoeffCheckDigit(body);
      expect(verhoeffValid(full)).toBe(true);
      const i = seed % 20;
      const wrong = String((Number(full[i]) + 1 + (seed % 9)) % 10);
      expect(verhoeffValid(full.slice(0, i) + wrong + full.slice(i + 1))).toBe(false);
      const j = seed % 19;
      if (full[j] !== full[j + 1]) {
        expect(verhoeffValid(full.slice(0, j) + full[j + 1] + full[j] + full.slice(j + 2))).toBe(false);
      }
    }
  });
});
