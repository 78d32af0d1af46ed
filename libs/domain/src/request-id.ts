import { DccError } from './dcc-error.js';
import { parseEui64, truncate, type Eui64 } from './eui64.js';

const MAX_COUNTER = (1n << 64n) - 1n;
const DECIMAL = /^[0-9]{1,20}$/;

/** A DUIS RequestID: BusinessOriginatorID:BusinessTargetID:OriginatorCounter (DCC-REFERENCE §1.4). */
export interface RequestId {
  readonly originator: Eui64;
  readonly target: Eui64;
  /** Unsigned 64-bit; a bigint because DUIS counters exceed 2^53. */
  readonly counter: bigint;
}

export function parseRequestId(value: string): RequestId {
  if (value.length === 0) throw DccError.invalidArgument('RequestID is missing');
  const parts = value.split(':');
  if (parts.length !== 3) {
    throw DccError.invalidArgument(
      `RequestID "${truncate(value)}" must be OriginatorID:TargetID:Counter (three parts separated by ':')`,
    );
  }
  const [originator, target, counter] = parts as [string, string, string];
  if (!DECIMAL.test(counter)) {
    throw DccError.invalidArgument(
      `RequestID counter "${truncate(counter)}" is not an unsigned decimal integer`,
    );
  }
  const count = BigInt(counter);
  if (count > MAX_COUNTER) throw DccError.invalidArgument(`RequestID counter ${counter} exceeds 2^64-1`);
  return {
    originator: parseEui64(originator, 'RequestID originator'),
    target: parseEui64(target, 'RequestID target'),
    counter: count,
  };
}

export function formatRequestId(id: RequestId): string {
  return `${id.originator}:${id.target}:${id.counter}`;
}

/** The ResponseID of a response to this request: the first two parts swapped. */
export function responseIdFor(id: RequestId): string {
  return `${id.target}:${id.originator}:${id.counter}`;
}
