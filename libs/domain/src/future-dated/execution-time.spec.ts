import { describe, expect, it } from 'vitest';
import { GrpcStatus } from '../grpc-status.js';
import { requireSrv } from '../srv/srv-catalogue.js';
import {
  checkExecutionTime,
  FUTURE_DATED_MAX_AHEAD_MS,
  FUTURE_DATED_TRT_MS,
  isDspFutureDatable,
  missedTrt,
} from './execution-time.js';

const NOW = Date.UTC(2026, 5, 1);

function refusal(srv: string, cv: number, executionMs: number): string {
  try {
    checkExecutionTime(requireSrv(srv), cv, executionMs, NOW);
  } catch (error) {
    expect((error as { status: number }).status).toBe(GrpcStatus.INVALID_ARGUMENT);
    return (error as Error).message;
  }
  return 'accepted';
}

describe('DSP future-dated execution time', () => {
  it('the catalogue’s FD pattern decides which SRVs the hub holds', () => {
    expect(isDspFutureDatable(requireSrv('4.1.1'))).toBe(true); // DSP
    expect(isDspFutureDatable(requireSrv('6.23'))).toBe(true); // DSP+Device
    expect(isDspFutureDatable(requireSrv('1.6'))).toBe(false); // Device: the meter holds it
    expect(isDspFutureDatable(requireSrv('4.11.1'))).toBe(false); // none
  });

  it('accepts a time ahead within the horizon, refuses past, too far, non-datable SRV and other variants', () => {
    expect(refusal('4.1.1', 1, NOW + 60_000)).toBe('accepted');
    expect(refusal('4.1.1', 1, NOW + FUTURE_DATED_MAX_AHEAD_MS)).toBe('accepted');
    expect(refusal('4.1.1', 1, NOW)).toMatch(/not in the future/);
    expect(refusal('4.1.1', 1, NOW - 1)).toMatch(/not in the future/);
    expect(refusal('4.1.1', 1, NOW + FUTURE_DATED_MAX_AHEAD_MS + 1)).toMatch(/more than 31 days ahead/);
    expect(refusal('4.11.1', 1, NOW + 60_000)).toMatch(/4\.11\.1 is not DSP future-datable/);
    expect(refusal('4.1.1', 3, NOW + 60_000)).toMatch(/command variant 1 only/);
  });

  it('a release after the execution time plus its TRT has missed it', () => {
    expect(missedTrt(NOW, NOW + FUTURE_DATED_TRT_MS)).toBe(false);
    expect(missedTrt(NOW, NOW + FUTURE_DATED_TRT_MS + 1)).toBe(true);
  });
});
