import { parseEui64 } from '@dcc/domain';
import { createUtrn, SimulatedFleet, type DeviceResult } from '@dcc/meter';
import { describe, expect, it } from 'vitest';
import { Smets2Transport } from './smets2-transport.js';

const fleet = new SimulatedFleet(10);
const at = Date.UTC(2026, 2, 2);
const transport = new Smets2Transport(fleet, () => at);

describe('the SMETS2 transport', () => {
  it('reaches every device routed to it: the inventory decides, not the fleet size', () => {
    expect(transport.open(fleet.deviceId(9), undefined)?.profile.generation).toBe('SMETS2');
    expect(transport.open(fleet.deviceId(10), undefined)?.deviceId).toBe(fleet.deviceId(10));
    const far = parseEui64('00-DB-13-00-00-00-00-00');
    expect(transport.open(far, undefined)?.deviceId).toBe(far);
  });

  it('restores a meter from what it saved; it trusts its profile’s supplier key until a 6.23', () => {
    const meter = transport.open(fleet.deviceId(3), undefined)!;
    expect(transport.trustedSupplier(meter)).toEqual(meter.profile.trustedSupplier);
    const supplierId = meter.profile.trustedSupplier.supplierId;
    const utrn = createUtrn({ supplierId, deviceId: meter.deviceId, counter: 1n << 32n, pence: 250 });
    const topUp = transport.send(meter, { srv: '2.2', params: { utrn } }) as DeviceResult;
    expect(topUp).toMatchObject({ outcome: 'executed', stateChanged: true });
    const again = transport.open(fleet.deviceId(3), transport.save(meter))!;
    expect(again.inspect()).toEqual(meter.inspect());
  });
});
