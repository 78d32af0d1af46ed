import { describe, expect, it } from 'vitest';
import { InventoryDetails } from './inventory-details.js';
import { NO_LINK } from './linked-devices.js';

describe('InventoryDetails', () => {
  it('keeps UPRNs as written, leading zeros included, and none as empty', () => {
    const details = new InventoryDetails(4);
    details.setUprn(0, '000123');
    details.setUprn(1, '999999999999');
    expect([details.uprn(0), details.uprn(1), details.uprn(2)]).toEqual(['000123', '999999999999', '']);
    details.setUprn(0, '');
    expect(details.uprn(0)).toBe('');
    expect(() => details.setUprn(3, '12a')).toThrow(/UPRN/);
  });

  it('numbers each model and firmware pair once and gives it back', () => {
    const details = new InventoryDetails(4);
    details.setMeter(0, 'E470', '1.2', 7);
    details.setMeter(1, 'E470', '1.2', NO_LINK);
    details.setLinked(5000, 'CH1', '');
    expect(details.meterModel(0)).toEqual(['E470', '1.2']);
    expect(details.meterModel(1)).toEqual(['E470', '1.2']);
    expect(details.meterModel(2)).toEqual(['', '']);
    expect([details.meterHub(0), details.meterHub(1)]).toEqual([7, NO_LINK]);
    expect(details.linkedModel(5000)).toEqual(['CH1', '']);
  });

  it('chains the devices of each point: a device on two points is in both chains, and leaves each alone', () => {
    const details = new InventoryDetails(4);
    details.link(0, 10, 0);
    details.link(0, 11, 0);
    details.link(1, 11, 1);
    details.link(0, 12, 0);
    expect(details.linkedRowsAt(0)).toEqual([12, 11, 10]);
    expect(details.linkedRowsAt(1)).toEqual([11]);
    details.unlink(0, 11, 0);
    expect(details.linkedRowsAt(0)).toEqual([12, 10]);
    expect(details.linkedRowsAt(1)).toEqual([11]);
    details.unlink(0, 12, 0);
    details.unlink(0, 99, 0); // not in the chain: nothing
    expect(details.linkedRowsAt(0)).toEqual([10]);
  });
});
