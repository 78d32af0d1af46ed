import type { JsonValue } from '@dcc/meter';

/** What the device model needs from a request besides its RequestID: the parameters and any execution time. */
export interface DeviceCall {
  /** The model's parameters for the SRV (libs/meter/src/commands/types.ts); undefined for parameterless SRVs. */
  params?: unknown;
  /** Device future-dating (1.1.1, 1.6, 2.1, 6.4.1, 6.23, 11.3): when the meter is to execute it, meter clock, UTC milliseconds. */
  executionTimeMs?: number;
}

export function withExecutionTime(params: unknown, executionDateTimeMs: number | undefined): DeviceCall {
  return { params, ...(executionDateTimeMs === undefined ? {} : { executionTimeMs: executionDateTimeMs }) };
}

/**
 * A decoded wire message as JSON-safe data (absent optional fields dropped), as a pending command may hold it:
 * the device model checks it with the hub's own rules and keeps it as sent.
 */
export function jsonOf(message: unknown): JsonValue {
  return JSON.parse(JSON.stringify(message ?? null)) as JsonValue;
}
