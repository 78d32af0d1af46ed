import { describe, expect, it } from 'vitest';
import { eui64FromWords, parseEui64Words } from './eui64-words.js';
import { keyFromWords, keyHigh, keyLow, mpxnFromKey, mpxnKey } from './mpxn-key.js';
import { Random } from './random.js';
import { U64Index } from './u64-index.js';

describe('U64Index', () => {
  it('stays exact through inserts and backward-shift removals in a crowded table', () => {
    const capacity = 700; // a 1024-slot table at 68 % load: long runs, many wrap-arounds
    const keys = new Uint32Array(capacity * 2);
    const index = new U64Index(keys, capacity);
    const random = new Random(7);
    const present = new Map<string, number>();
    const setKey = (point: number) => {
      // Few distinct high words and clustered low words provoke collisions.
      keys[point * 2] = random.below(3);
      keys[point * 2 + 1] = random.below(2_000);
    };
    const name = (point: number) => `${keys[point * 2]}:${keys[point * 2 + 1]}`;
    for (let point = 0; point < capacity; point++) {
      do setKey(point);
      while (present.has(name(point)));
      index.insert(point);
      present.set(name(point), point);
    }
    for (let round = 0; round < 5_000; round++) {
      const point = random.below(capacity);
      index.remove(point);
      present.delete(name(point));
      do setKey(point);
      while (present.has(name(point)));
      index.insert(point);
      present.set(name(point), point);
    }
    for (let high = 0; high < 3; high++) {
      for (let low = 0; low < 2_000; low++) {
        expect(index.find(high, low)).toBe(present.get(`${high}:${low}`) ?? -1);
      }
    }
  });
});

describe('identifier words', () => {
  it('round-trips MPxN keys, keeping leading zeros and telling lengths apart', () => {
    for (const mpxn of ['1800021679848', '3938424403', '0012345', '9999999999999', '1']) {
      const key = mpxnKey(mpxn);
      expect(mpxnFromKey(keyFromWords(keyHigh(key), keyLow(key)))).toBe(mpxn);
    }
    expect(mpxnKey('012345')).not.toBe(mpxnKey('12345'));
    expect(mpxnKey('12345678901234')).toBe(-1);
    expect(mpxnKey('12a')).toBe(-1);
  });

  it('parses EUI-64 text into words and back, top bit included', () => {
    const out = { high: 0, low: 0 };
    expect(parseEui64Words('FF-EE-DD-CC-BB-AA-99-88', out)).toBe(true);
    expect(out).toEqual({ high: 0xffeeddcc, low: 0xbbaa9988 });
    expect(eui64FromWords(out.high, out.low)).toBe('FF-EE-DD-CC-BB-AA-99-88');
    expect(parseEui64Words('ff-ee-dd-cc-bb-aa-99-88', out)).toBe(true);
    expect(parseEui64Words('FF-EE-DD-CC-BB-AA-99-8G', out)).toBe(false);
    expect(parseEui64Words('FFEEDDCCBBAA9988', out)).toBe(false);
    expect(parseEui64Words('FF-EE-DD-CC-BB-AA-99_88', out)).toBe(false);
    expect(parseEui64Words('FF-EE-DD-CC-BB-AA-99-8\u0130', out)).toBe(false); // 0x130 & 0x7f is '0'
    expect(out).toEqual({ high: 0xffeeddcc, low: 0xbbaa9988 }); // a refused parse leaves `out` alone
  });
});
