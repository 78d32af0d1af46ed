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

  it('numbers each description once and gives it back, ESME variant and manufacturer included', () => {
    const details = new InventoryDetails(4);
    const none = { manufacturer: '', smetsChtsVersion: '', esmeVariant: '' };
    const poly = {
      model: 'E470',
      firmwareVersion: '1.2',
      manufacturer: 'AB01',
      smetsChtsVersion: 'SMETS V4.1',
      esmeVariant: 'C',
    };
    details.setMeter(0, { model: 'E470', firmwareVersion: '1.2', ...none }, 7);
    details.setMeter(1, { model: 'E470', firmwareVersion: '1.2', ...none }, NO_LINK);
    details.setMeter(3, poly, NO_LINK);
    details.setLinked(5000, { model: 'CH1', firmwareVersion: '', ...none });
    expect(details.meterDescription(0)).toEqual({ model: 'E470', firmwareVersion: '1.2', ...none });
    expect(details.meterDescription(1)).toBe(details.meterDescription(0));
    expect(details.meterDescription(2)).toEqual({ model: '', firmwareVersion: '', ...none });
    expect(details.meterDescription(3)).toEqual(poly);
    expect([details.meterHub(0), details.meterHub(1)]).toEqual([7, NO_LINK]);
    expect(details.linkedDescription(5000)).toEqual({ model: 'CH1', firmwareVersion: '', ...none });
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
