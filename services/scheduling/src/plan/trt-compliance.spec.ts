import { ON_DEMAND_TRT_MS, SCHEDULED_TRT_MS } from '@dcc/domain';
import { describe, expect, it } from 'vitest';
import { releasedInTime } from './trt-compliance.js';

describe('a scheduled run released in time', () => {
  it('is released no later than its TRT deadline less the delivery’s own on-demand TRT', () => {
    const dueMs = Date.UTC(2026, 11, 1);
    const run = { trtDeadlineMs: dueMs + SCHEDULED_TRT_MS };
    expect(releasedInTime(run, dueMs)).toBe(true);
    expect(releasedInTime(run, run.trtDeadlineMs - ON_DEMAND_TRT_MS)).toBe(true);
    expect(releasedInTime(run, run.trtDeadlineMs - ON_DEMAND_TRT_MS + 1)).toBe(false);
    expect(releasedInTime(run, dueMs + 2 * SCHEDULED_TRT_MS)).toBe(false);
  });
});
