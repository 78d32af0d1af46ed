import { SmiDeviceStatus } from '@dcc/proto';
import { describe, expect, it } from 'vitest';
import { approve } from './approval.js';
import { parseCustomerId } from './customer.js';

const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
const KEY = new Uint8Array([1, 2, 3]);
const meter = (status = SmiDeviceStatus.SMI_DEVICE_STATUS_COMMISSIONED, kaPublicKey = KEY) => ({
  deviceId: '00-DB-12-00-00-00-00-00',
  status,
  kaPublicKey,
});

describe('customer id', () => {
  it('reads the MPAN or MPRN after the last colon, check digits verified', () => {
    expect(parseCustomerId('ACC-1:1000000000003')).toEqual({ mpxn: '1000000000003', fuel: 'electricity' });
    // DCC-REFERENCE §2.3's MPRN example: 39384244 → check digits 03.
    expect(parseCustomerId('a:b:3938424403')).toEqual({ mpxn: '3938424403', fuel: 'gas' });
  });

  it('refuses a wrong check digit, a missing meter point and an oversized id', () => {
    expect(() => parseCustomerId('ACC-1:1000000000004')).toThrow(/check digit 4, expected 3/);
    expect(() => parseCustomerId('ACC-1:3938424404')).toThrow(/check digits 04, expected 03/);
    expect(() => parseCustomerId('1000000000003')).toThrow(/<account>:<MPAN or MPRN>/);
    expect(() => parseCustomerId(':1000000000003')).toThrow(/<account>:<MPAN or MPRN>/);
    expect(() => parseCustomerId(`${'x'.repeat(60)}:1000000000003`)).toThrow(/1-64 characters/);
  });
});

describe('supplier approval policy', () => {
  const served = new Set([SUPPLIER]);

  it('approves a commissioned meter with a KA key whose supplier issues through the service', () => {
    expect(approve({ meter: meter(), supplierId: SUPPLIER }, served)).toEqual({
      approved: true,
      supplierId: SUPPLIER,
      deviceId: '00-DB-12-00-00-00-00-00',
      kaPublicKey: KEY,
    });
  });

  it.each([
    ['no meter', { supplierId: SUPPLIER }, /no meter/],
    [
      'not commissioned',
      { meter: meter(SmiDeviceStatus.SMI_DEVICE_STATUS_SUSPENDED), supplierId: SUPPLIER },
      /not commissioned/,
    ],
    ['no KA key', { meter: meter(undefined, new Uint8Array()), supplierId: SUPPLIER }, /key-agreement/],
    ['no supplier', { meter: meter(), supplierId: '' }, /no supplier/],
    ['another supplier', { meter: meter(), supplierId: '90-B3-D5-1F-30-FF-00-01' }, /does not issue/],
  ])('refuses: %s', (_, facts, reason) => {
    const approval = approve(facts, served);
    expect(approval.approved).toBe(false);
    expect(approval.approved ? '' : approval.reason).toMatch(reason);
  });
});
