import { describe, expect, it } from 'vitest';
import { gbcsCheckDigit, gbcsCheckDigitValid } from './gbcs-check-digit.js';

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

describe('GBCS §14.8 check digit', () => {
  it("verifies DCC's published SRV 2.2 sample UTRN", () => {
    expect(gbcsCheckDigit('7394614433204021731')).toBe(5);
    expect(gbcsCheckDigitValid('73946144332040217315')).toBe(true);
    for (const wrong of '012346789') expect(gbcsCheckDigitValid(`7394614433204021731${wrong}`)).toBe(false);
  });

  it('is not textbook Verhoeff (whose check digit for 236 is 3 and for the sample is not 5)', () => {
    // Textbook Verhoeff: 2363 and 123451 are valid. Under GBCS's order and inverse table they are not.
    expect(gbcsCheckDigitValid('2363')).toBe(false);
    expect(gbcsCheckDigitValid('123451')).toBe(false);
  });

  it('catches every single-digit change of 20-digit numbers, and adjacent transpositions', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const body = digits(seed, 19);
      const full = body + gbcsCheckDigit(body);
      expect(gbcsCheckDigitValid(full)).toBe(true);
      for (let i = 0; i < 20; i++) {
        const wrong = String((Number(full[i]) + 1 + (seed % 9)) % 10);
        expect(gbcsCheckDigitValid(full.slice(0, i) + wrong + full.slice(i + 1))).toBe(false);
      }
      const j = seed % 18;
      if (full[j] !== full[j + 1]) {
        expect(gbcsCheckDigitValid(full.slice(0, j) + full[j + 1] + full[j] + full.slice(j + 2))).toBe(false);
      }
    }
  });

  it('refuses what is not a string of digits', () => {
    expect(() => gbcsCheckDigit('12a')).toThrow(RangeError);
    expect(() => gbcsCheckDigit('')).toThrow(RangeError);
    expect(gbcsCheckDigitValid('7')).toBe(false);
    expect(gbcsCheckDigitValid('1234x')).toBe(false);
  });
});
