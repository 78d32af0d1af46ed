import type { Eui64 } from '@dcc/domain';
import { describe, expect, it } from 'vitest';
import { MeterHarness } from './meter-harness.js';

const id = '00-DB-12-00-00-00-00-2A' as Eui64;
const start = Date.UTC(2026, 2, 2, 9);

describe('supply state machine (7.1 enable, 7.2 disable, 7.3 arm, 7.4 read)', () => {
  it('credit mode: enabled → disabled → armed → enabled, and remote enable from disabled', () => {
    const h = new MeterHarness(id, 0, start);
    expect(h.send('7.4').body!.supply).toBe('enabled');
    expect(h.send('7.2').body!.supply).toBe('disabled');
    expect(h.send('7.3').body!.supply).toBe('armed');
    expect(h.send('7.1').body!.supply).toBe('enabled');
    h.send('7.2');
    expect(h.send('7.1').body!.supply).toBe('enabled');
    expect(h.send('7.1').outcome).toBe('executed');
  });

  it('refuses to arm an enabled supply', () => {
    const h = new MeterHarness(id, 0, start);
    expect(h.send('7.3')).toMatchObject({
      outcome: 'rejected',
      rejection: { reason: 'INVALID_SUPPLY_TRANSITION' },
    });
    expect(h.send('7.4').body!.supply).toBe('enabled');
  });

  it('prepayment mode: a disabled supply is armed before it is enabled, and only with credit', () => {
    const h = new MeterHarness(id, 0, start);
    h.send('1.5', { adjustPence: 2_000 });
    h.send('1.6', { mode: 'prepayment' });
    h.send('7.2');
    expect(h.send('7.1').rejection?.reason).toBe('INVALID_SUPPLY_TRANSITION');
    h.send('7.3');
    h.send('1.5', { reset: true });
    expect(h.send('7.1').rejection?.reason).toBe('INSUFFICIENT_CREDIT');
    expect(h.meter.consumerEnableSupply().refusal?.reason).toBe('INSUFFICIENT_CREDIT');
    h.send('1.5', { adjustPence: 100 });
    expect(h.send('7.1').body!.supply).toBe('enabled');
  });

  it('the consumer’s button enables only an armed supply', () => {
    const h = new MeterHarness(id, 0, start);
    expect(h.meter.consumerEnableSupply().refusal?.reason).toBe('INVALID_SUPPLY_TRANSITION');
    h.send('7.2');
    expect(h.meter.consumerEnableSupply().refusal?.reason).toBe('INVALID_SUPPLY_TRANSITION');
    h.send('7.3');
    const pressed = h.meter.consumerEnableSupply();
    expect(pressed).toEqual({ alerts: [], stateChanged: true });
    expect(h.send('7.4').body!.supply).toBe('enabled');
  });

  it('a GSME (gas valve) is disabled and armed too, but 7.1 is electricity only', () => {
    const h = new MeterHarness(id, 0, start, { deviceType: 'GSME' });
    expect(h.send('7.2').body!.supply).toBe('disabled');
    expect(h.send('7.3').body!.supply).toBe('armed');
    expect(() => h.send('7.1')).toThrow(/not supported by this device model/);
  });
});

describe('load limiting (6.4.1, 6.4.2, 4.15)', () => {
  it('counts supplied half hours above the threshold, keeps the count across a new threshold, resets on 6.4.2', () => {
    const h = new MeterHarness(id, 0, start);
    expect(h.send('4.15').body).toMatchObject({ thresholdW: null, counter: 0 });
    h.send('6.4.1', { thresholdW: 600 });
    h.clock.advance(7 * 86_400_000);
    const counted = h.send('4.15').body!.counter;
    expect(counted).toBeGreaterThan(0);
    expect(counted).toBeLessThan(7 * 48);
    h.send('6.4.1', { thresholdW: 1_000_000 });
    h.clock.advance(86_400_000);
    expect(h.send('4.15').body!.counter).toBe(counted);
    h.send('6.4.1', { thresholdW: 1 });
    h.send('7.2');
    h.clock.advance(86_400_000);
    expect(h.send('4.15').body!.counter).toBe(counted);
    expect(h.send('6.4.2').body!.counter).toBe(0);
    h.send('7.3');
    h.send('7.1');
    h.clock.advance(86_400_000);
    expect(h.send('4.15').body!.counter).toBe(48);
  });
});
