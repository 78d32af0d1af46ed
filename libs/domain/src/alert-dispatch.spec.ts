import { describe, expect, it } from 'vitest';
import { ALERT_DISPATCH_TABLE, deviceAlertRecipients } from './alert-dispatch.js';

describe('alert dispatching table', () => {
  it('sends voltage excursions to the network operator only', () => {
    for (const code of [0x8002, 0x8006, 0x8020, 0x8024, 0x8028, 0x802c, 0x8085, 0x8095, 0x8099]) {
      expect(deviceAlertRecipients(code), code.toString(16)).toEqual(['networkOperator']);
    }
  });

  it('sends outage and restoration to both the supplier and the network operator', () => {
    for (const code of [0x8f57, 0x8f35, 0x8f36]) {
      expect(deviceAlertRecipients(code)).toEqual(['supplier', 'networkOperator']);
    }
  });

  it("sends future-dated outcomes to the command's originator", () => {
    expect(deviceAlertRecipients(0x8f66)).toEqual(['originator']);
    expect(deviceAlertRecipients(0x8f67)).toEqual(['originator']);
  });

  it('sends prepayment, UTRN and firmware alerts, and unlisted codes, to the supplier', () => {
    for (const code of [0x810d, 0x8f0f, 0x8f51, 0x8f63, 0x8f72, 0x8f1c, 0x1234]) {
      expect(deviceAlertRecipients(code), code.toString(16)).toEqual(['supplier']);
    }
  });

  it('has no overlapping device rules and names a version', () => {
    const device = ALERT_DISPATCH_TABLE.rules.filter((r) => r.kind === 'device');
    for (const a of device) {
      expect(a.from).toBeLessThanOrEqual(a.to);
      for (const b of device) if (a !== b) expect(a.to < b.from || b.to < a.from).toBe(true);
    }
    expect(ALERT_DISPATCH_TABLE.version).toMatch(/^\d{4}-\d{2}-\d{2}\.\d+$/);
  });
});
