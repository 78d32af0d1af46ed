import { DccError } from '@dcc/domain';

/** Parameter checks: every failure is INVALID_ARGUMENT naming the SRV and the field. */
export class Params {
  private readonly fields: Record<string, unknown>;

  constructor(
    private readonly srv: string,
    raw: unknown,
  ) {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
      throw this.error('parameters are missing');
    this.fields = raw as Record<string, unknown>;
  }

  /** For SRVs without parameters: accepts undefined, null or an empty object. */
  static none(srv: string, raw: unknown): undefined {
    if (raw === undefined || raw === null) return undefined;
    if (typeof raw === 'object' && !Array.isArray(raw) && Object.keys(raw).length === 0) return undefined;
    throw DccError.invalidArgument(`SRV ${srv} takes no parameters`);
  }

  has(key: string): boolean {
    return this.fields[key] !== undefined;
  }

  number(key: string, min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY): number {
    const value = this.fields[key];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
      throw this.error(`${key} must be a number from ${min} to ${max}`);
    }
    return value;
  }

  integer(key: string, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): number {
    const value = this.number(key, min, max);
    if (!Number.isInteger(value)) throw this.error(`${key} must be a whole number`);
    return value;
  }

  optionalNumber(key: string, min?: number, max?: number): number | undefined {
    return this.has(key) ? this.number(key, min, max) : undefined;
  }

  string(key: string, pattern?: RegExp, maxLength = 1_000): string {
    const value = this.fields[key];
    if (typeof value !== 'string' || value.length > maxLength || (pattern && !pattern.test(value))) {
      throw this.error(
        `${key} must be a string${pattern ? ` matching ${pattern}` : ''} of at most ${maxLength} characters`,
      );
    }
    return value;
  }

  numbers(key: string, min: number, max: number, length?: { min: number; max: number }): number[] {
    const value = this.fields[key];
    if (!Array.isArray(value) || (length && (value.length < length.min || value.length > length.max))) {
      throw this.error(`${key} must be a list${length ? ` of ${length.min} to ${length.max} numbers` : ''}`);
    }
    return value.map((item, i) => {
      if (typeof item !== 'number' || !Number.isFinite(item) || item < min || item > max) {
        throw this.error(`${key}[${i}] must be a number from ${min} to ${max}`);
      }
      return item;
    });
  }

  /** Rejects keys the SRV does not know, so a misspelt field is not silently ignored. */
  only(...keys: string[]): this {
    const unknown = Object.keys(this.fields).filter((key) => !keys.includes(key));
    if (unknown.length > 0) throw this.error(`unknown parameter ${unknown.join(', ')}`);
    return this;
  }

  atLeastOne(...keys: string[]): this {
    if (!keys.some((key) => this.has(key))) throw this.error(`give at least one of ${keys.join(', ')}`);
    return this;
  }

  raw(key: string): unknown {
    return this.fields[key];
  }

  error(message: string): DccError {
    return DccError.invalidArgument(`SRV ${this.srv}: ${message}`);
  }
}
