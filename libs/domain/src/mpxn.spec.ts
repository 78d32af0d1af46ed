import { describe, expect, it } from 'vitest';
import { DccError } from './dcc-error.js';
import { GrpcStatus } from './grpc-status.js';
import {
  isValidMpanCore,
  isValidMprn,
  mpanCheckDigit,
  mprnCheckDigits,
  parseMpan,
  parseMprn,
} from './mpxn.js';

function thrown(fn: () => unknown): DccError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DccError);
    expect((e as DccError).status).toBe(GrpcStatus.INVALID_ARGUMENT);
    return e as DccError;
  }
  throw new Error('expected a DccError');
}

// Seeded (mulberry32) so a failing case reproduces.
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomDigits(next: () => number, length: number): string {
  return Array.from({ length }, () => Math.floor(next() * 10)).join('');
}

/** The value with its last digit replaced by every other digit. */
function otherLastDigits(value: string): string[] {
  const last = value.at(-1);
  return [...'0123456789'].filter((d) => d !== last).map((d) => value.slice(0, -1) + d);
}

describe('MPAN core', () => {
  it('computes the check digit of the worked example 1800021679848', () => {
    expect(mpanCheckDigit('180002167984')).toBe(8);
    expect(isValidMpanCore('1800021679848')).toBe(true);
    expect(isValidMpanCore('1800021679847')).toBe(false);
  });

  it('rejects the DCC Boxed test MPxNs, which fail the check digit', () => {
    expect(isValidMpanCore('1312345678111')).toBe(false);
    expect(isValidMpanCore('1312345678333')).toBe(false);
  });

  it.each(['', '180002167984', '18000216798480', '180002167984a', ' 1800021679848', '１８００021679848'])(
    'is not valid for %j',
    (value) => expect(isValidMpanCore(value)).toBe(false),
  );

  it('refuses to compute a check digit from anything but 12 digits', () => {
    expect(thrown(() => mpanCheckDigit('18000216798')).message).toMatch(/12 leading digits/);
    expect(thrown(() => mpanCheckDigit('18000216798x')).message).toMatch(/12 leading digits/);
  });

  it('makes 1000 random prefixes valid cores; any other last digit is invalid', () => {
    const next = random(20240815);
    for (let i = 0; i < 1000; i++) {
      const prefix = randomDigits(next, 12);
      const core = prefix + mpanCheckDigit(prefix);
      expect(isValidMpanCore(core), core).toBe(true);
      expect(parseMpan(core)).toBe(core);
      for (const other of otherLastDigits(core)) expect(isValidMpanCore(other), other).toBe(false);
    }
  });

  it('parses a valid core', () => {
    const core: string = parseMpan('1800021679848');
    expect(core).toBe('1800021679848');
  });

  it.each([
    ['', /MPAN core is missing/],
    ['180002167984', /MPAN core "180002167984" must be 13 digits, not 12/],
    ['18000216798480', /must be 13 digits, not 14/],
    ['18000-21679848', /must contain only digits/],
    ['1800021679840', /MPAN core "1800021679840" has check digit 0, expected 8/],
    ['1312345678111', /has check digit 1, expected 8/],
  ])('rejects %j with INVALID_ARGUMENT', (value, message) => {
    expect(thrown(() => parseMpan(value)).message).toMatch(message);
  });

  it('names the field in its messages', () => {
    expect(thrown(() => parseMpan('123', { field: 'ImportMPxN' })).message).toMatch(/^ImportMPxN "123"/);
  });

  it('skips only the check digit when relaxed', () => {
    expect(parseMpan('1312345678111', { checkDigit: false })).toBe('1312345678111');
    expect(parseMpan('1312345678333', { checkDigit: false })).toBe('1312345678333');
    expect(thrown(() => parseMpan('131234567811', { checkDigit: false })).message).toMatch(/13 digits/);
    expect(thrown(() => parseMpan('131234567811x', { checkDigit: false })).message).toMatch(/only digits/);
  });
});

describe('MPRN', () => {
  it('computes the check digits of the worked example 3938424403', () => {
    expect(mprnCheckDigits('39384244')).toBe('03');
    expect(isValidMprn('3938424403')).toBe(true);
    expect(isValidMprn('3938424430')).toBe(false);
  });

  it('writes a remainder of 10 as "10"', () => {
    expect(mprnCheckDigits('00000018')).toBe('10');
    expect(isValidMprn('0000001810')).toBe(true);
  });

  it.each(['', '39384', '393842440300', '39384244O3', '3938424403 '])('is not valid for %j', (value) =>
    expect(isValidMprn(value)).toBe(false),
  );

  it('refuses to compute check digits from anything but digits', () => {
    expect(thrown(() => mprnCheckDigits('')).message).toMatch(/leading digits of an MPRN/);
    expect(thrown(() => mprnCheckDigits('3938-244')).message).toMatch(/leading digits of an MPRN/);
  });

  it('makes 1000 random prefixes valid MPRNs; any other last digit is invalid', () => {
    const next = random(42);
    for (let i = 0; i < 1000; i++) {
      const prefix = randomDigits(next, 4 + (i % 6));
      const mprn = prefix + mprnCheckDigits(prefix);
      expect(isValidMprn(mprn), mprn).toBe(true);
      expect(parseMprn(mprn)).toBe(mprn);
      for (const other of otherLastDigits(mprn)) expect(isValidMprn(other), other).toBe(false);
    }
  });

  it.each([
    ['', /MPRN is missing/],
    ['39384', /MPRN "39384" must be 6-11 digits, not 5/],
    ['393842440300', /must be 6-11 digits, not 12/],
    ['39384244O3', /must contain only digits/],
    ['3938424430', /MPRN "3938424430" has check digits 30, expected 03/],
  ])('rejects %j with INVALID_ARGUMENT', (value, message) => {
    expect(thrown(() => parseMprn(value)).message).toMatch(message);
  });

  it('skips only the check digits when relaxed', () => {
    expect(parseMprn('3938424430', { checkDigit: false })).toBe('3938424430');
    expect(thrown(() => parseMprn('39384', { checkDigit: false })).message).toMatch(/6-11 digits/);
    expect(thrown(() => parseMprn('39384244O3', { checkDigit: false })).message).toMatch(/only digits/);
  });
});
