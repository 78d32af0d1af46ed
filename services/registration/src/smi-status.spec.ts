import { DccError, GrpcStatus } from '@dcc/domain';
import { DEVICE_STATUS_NAMES, DeviceStatus } from '@dcc/registry';
import { describe, expect, it } from 'vitest';
import { checkTransition, isAllowedTransition, SMI_TRANSITIONS } from './smi-status.js';

const S = DeviceStatus;

describe('SMI status lifecycle', () => {
  it('allows the installation path and recovery', () => {
    const path = [
      S.PENDING,
      S.WHITELISTED,
      S.INSTALLED_NOT_COMMISSIONED,
      S.COMMISSIONED,
      S.RECOVERY,
      S.RECOVERED,
    ];
    for (let i = 1; i < path.length; i++) expect(isAllowedTransition(path[i - 1]!, path[i]!)).toBe(true);
    expect(isAllowedTransition(S.COMMISSIONED, S.SUSPENDED)).toBe(true);
    expect(isAllowedTransition(S.SUSPENDED, S.COMMISSIONED)).toBe(true);
    expect(isAllowedTransition(S.COMMISSIONED, S.DECOMMISSIONED)).toBe(true);
    expect(isAllowedTransition(S.COMMISSIONED, S.WITHDRAWN)).toBe(true);
  });

  it('refuses skipping steps, going back, and leaving a final status', () => {
    expect(isAllowedTransition(S.PENDING, S.COMMISSIONED)).toBe(false);
    expect(isAllowedTransition(S.COMMISSIONED, S.PENDING)).toBe(false);
    expect(isAllowedTransition(S.RECOVERY, S.COMMISSIONED)).toBe(false);
    for (const final of [S.DECOMMISSIONED, S.WITHDRAWN]) {
      for (let to = 0; to <= 9; to++) expect(isAllowedTransition(final, to as DeviceStatus)).toBe(false);
    }
  });

  it('defines every status and never a move to itself or to NotApplicable', () => {
    expect(Object.keys(SMI_TRANSITIONS)).toHaveLength(DEVICE_STATUS_NAMES.length);
    for (const [from, targets] of Object.entries(SMI_TRANSITIONS)) {
      expect(targets).not.toContain(Number(from));
      expect(targets).not.toContain(S.NOT_APPLICABLE);
    }
  });

  it('refuses with FAILED_PRECONDITION naming both statuses', () => {
    try {
      checkTransition('00-DB-12-00-00-00-00-01', S.DECOMMISSIONED, S.COMMISSIONED);
      expect.unreachable();
    } catch (error) {
      expect((error as DccError).status).toBe(GrpcStatus.FAILED_PRECONDITION);
      expect((error as DccError).message).toMatch(/Decommissioned to Commissioned/);
    }
  });
});
