import { describe, expect, it } from 'vitest';
import { gbcsCheckDigit } from '../gbcs-check-digit.js';
import { PPTD_OFFSET } from '../utrn-format.js';
import {
  alertCodes,
  atLeastOne,
  BODY_LIMITS,
  dateTime,
  exclusive,
  firstViolation,
  hexDigits,
  listOf,
  numberIn,
  oneOf,
  pence,
  period,
  text,
  unsigned64,
  utrn,
} from './body-rules.js';

const DAY_MS = 86_400_000;
const START = Date.UTC(2026, 0, 1);

/** A structurally valid UTRN: PPTD offset + a PTUT with value class pennies, and its check digit. */
function validUtrn(ptut = (3n << 47n) | (500n << 32n) | 0x1234n): string {
  const pptd = (PPTD_OFFSET + ptut).toString();
  return pptd + gbcsCheckDigit(pptd);
}

describe('body rules (pure, no device)', () => {
  it('text: length bounds and characters', () => {
    const rule = text('message', 1, BODY_LIMITS.displayMessageChars, /^[\x20-\x7E]$/, 'printable ASCII');
    expect(rule({ message: 'a'.repeat(160) })).toBeUndefined();
    expect(rule({ message: 'a'.repeat(161) })).toBe('message is longer than 160 characters (161)');
    expect(rule({ message: '' })).toMatch(/shorter than 1/);
    expect(rule({ message: 'tab\there' })).toBe('message must be printable ASCII');
    expect(rule({})).toBe('message is missing');
  });

  it('period: end after start, at most the maximum span, date-times', () => {
    const rule = period('period', 31);
    expect(rule({ period: { startMs: START, endMs: START + 31 * DAY_MS } })).toBeUndefined();
    expect(rule({ period: { startMs: START, endMs: START + 40 * DAY_MS } })).toBe(
      'period is longer than 31 days (40 days)',
    );
    expect(rule({ period: { startMs: START, endMs: START } })).toBe('period must end after it starts');
    expect(rule({ period: { startMs: START + DAY_MS, endMs: START } })).toBe(
      'period must end after it starts',
    );
    expect(rule({ period: { startMs: -1, endMs: START } })).toMatch(
      /^period\.startMs must be a whole number/,
    );
    expect(rule({ period: { startMs: 1.5, endMs: START } })).toMatch(/startMs/);
    expect(rule({})).toBe('period is missing');
  });

  it('utrn: 20 digits, check digit and fixed fields', () => {
    const rule = utrn('utrn');
    const good = validUtrn();
    expect(rule({ utrn: good })).toBeUndefined();
    // DCC's published SRV 2.2 sample (its check digit is the GBCS §14.8 one, not textbook Verhoeff's)
    expect(rule({ utrn: '73946144332040217315' })).toBeUndefined();
    expect(rule({ utrn: '1234' })).toBe('utrn must be 20 digits, not 4 characters');
    expect(rule({ utrn: `${good.slice(0, 19)}x` })).toMatch(/20 digits/);
    const wrongCheck = good.slice(0, 19) + ((Number(good[19]) + 1) % 10);
    expect(rule({ utrn: wrongCheck })).toBe('utrn has a wrong check digit or structure');
    // Value class 3 is reserved: structurally wrong even with a correct check digit.
    expect(rule({ utrn: validUtrn((3n << 45n) | (3n << 45n)) })).toMatch(/structure/);
    expect(rule({ utrn: '' })).toBe('utrn is missing');
  });

  it('alert codes: four upper-case hex digits, at most 64, critical ones not disabled', () => {
    expect(alertCodes('enableAlertCodes', false)({ enableAlertCodes: ['810D', '8F66'] })).toBeUndefined();
    expect(alertCodes('disableAlertCodes', true)({ disableAlertCodes: ['810D'] })).toBeUndefined();
    expect(alertCodes('disableAlertCodes', true)({ disableAlertCodes: ['8F66'] })).toBe(
      'critical alerts cannot be disabled: 8F66',
    );
    for (const bad of ['ZZZZ', '810d', '81', '0810D']) {
      expect(alertCodes('enableAlertCodes', false)({ enableAlertCodes: [bad] })).toMatch(/not an alert code/);
    }
    const many = Array.from({ length: 65 }, (_, i) => (0x8100 + i).toString(16).toUpperCase());
    expect(alertCodes('enableAlertCodes', false)({ enableAlertCodes: many })).toMatch(/at most 64/);
    expect(alertCodes('enableAlertCodes', false)({})).toBeUndefined();
  });

  it('numberIn and dateTime: ranges, whole numbers, optional', () => {
    expect(numberIn('v', 0, 500)({ v: 500 })).toBeUndefined();
    expect(numberIn('v', 0, 500)({ v: 500.5 })).toMatch(/from 0 to 500/);
    expect(numberIn('v', 0, 500)({ v: Number.NaN })).toMatch(/from 0 to 500/);
    expect(numberIn('v', 1, 3600, { integer: true })({ v: 1.5 })).toMatch(/whole number/);
    expect(numberIn('v', 1, 3600, { optional: true })({})).toBeUndefined();
    expect(numberIn('v', 1, 3600)({})).toBe('v is missing');
    expect(dateTime('t')({ t: START })).toBeUndefined();
    expect(dateTime('t')({ t: -5 })).toMatch(/t must be/);
  });

  it('pence, lists, enumerations, hex digits, 64-bit counters, exclusive fields, at least one', () => {
    expect(pence('p')({ p: '-12.345' })).toBeUndefined();
    expect(pence('p')({ p: '1.2345' })).toMatch(/three fractional digits/);
    expect(pence('p', true)({})).toBeUndefined();
    const prices = listOf('prices', 1, 8, (name) => pence(name));
    expect(prices({ prices: ['10', '20'] })).toBeUndefined();
    expect(prices({ prices: [] })).toBe('prices must hold 1 to 8 entries');
    expect(prices({ prices: ['10', 'ten'] })).toMatch(/prices\[1\] holds "ten"/);
    expect(oneOf('mode', { 1: 'credit', 2: 'prepayment' })({ mode: 2 })).toBeUndefined();
    expect(oneOf('mode', { 1: 'credit', 2: 'prepayment' })({ mode: 0 })).toBe(
      'mode must be credit or prepayment',
    );
    expect(hexDigits('h', 4)({ h: 'abCD' })).toBeUndefined();
    expect(hexDigits('h', 4)({ h: 'abC' })).toBe('h must be 4 hex digits');
    expect(unsigned64('c')({ c: '18446744073709551615' })).toBeUndefined();
    expect(unsigned64('c')({ c: '18446744073709551616' })).toMatch(/64-bit/);
    expect(exclusive('cap', 'remove')({ cap: '5', remove: true })).toBe(
      'give either cap or remove, not both',
    );
    expect(exclusive('cap', 'remove')({ cap: '5', remove: false })).toBeUndefined();
    expect(atLeastOne('a', 'b')({ a: [], b: undefined })).toBe('give at least one of a, b');
    expect(atLeastOne('a', 'b')({ a: ['x'] })).toBeUndefined();
  });

  it('firstViolation reports the first rule that fails, in order', () => {
    const rules = [numberIn('a', 0, 1), numberIn('b', 0, 1)];
    expect(firstViolation(rules, { a: 5, b: 5 })).toMatch(/^a /);
    expect(firstViolation(rules, { a: 0, b: 1 })).toBeUndefined();
  });
});
