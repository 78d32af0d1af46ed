import { DccError, findSrv, GrpcStatus, type Eui64 } from '@dcc/domain';
import { describe, expect, it } from 'vitest';
import { SUPPORTED_SRVS } from './commands/registry.js';
import { ConsumptionModel } from './consumption-model.js';
import { MeterDevice } from './meter-device.js';
import { MeterHarness } from './meter-harness.js';

const id = '00-DB-12-00-00-00-00-2A' as Eui64;
const at = Date.UTC(2026, 2, 2, 12);

function thrown(fn: () => unknown): DccError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DccError);
    return error as DccError;
  }
  throw new Error('expected a DccError');
}

describe('MeterDevice: the 4.1.1 path the adapter uses', () => {
  it('execute("4.1.1") and readInstantaneousImportRegisters() answer the model registers at the clock', () => {
    const meter = new MeterDevice(id, 7, () => at);
    const model = new ConsumptionModel(id, 7);
    const expected = {
      totalActiveImportWh: model.totalImportWh(at),
      touActiveImportWh: model.touRegistersWh(at),
      meterTimeMs: at,
    };
    expect(meter.execute('4.1.1')).toEqual(expected);
    expect(meter.readInstantaneousImportRegisters()).toEqual(expected);
    expect(meter.toState()).toEqual({ v: 1 });
  });

  it('execute(srv) refuses other SRVs with UNIMPLEMENTED and the documented phrase', () => {
    const meter = new MeterDevice(id, 7, () => at);
    const error = thrown(() => meter.execute('99.9'));
    expect(error.status).toBe(GrpcStatus.UNIMPLEMENTED);
    expect(error.message).toBe('SRV 99.9 is not supported by this device model');
    expect(thrown(() => meter.execute('7.4')).status).toBe(GrpcStatus.UNIMPLEMENTED);
  });
});

describe('MeterDevice.run: what it refuses before doing anything', () => {
  it('unsupported SRVs: UNIMPLEMENTED "SRV x is not supported by this device model"', () => {
    const h = new MeterHarness(id, 0, at);
    for (const srv of ['8.2', '11.1', 'nonsense']) {
      const error = thrown(() => h.meter.run({ srv }));
      expect(error.status).toBe(GrpcStatus.UNIMPLEMENTED);
      expect(error.message).toBe(`SRV ${srv} is not supported by this device model`);
    }
  });

  it('device-type and SMETS1 differences use the same phrase with the reason', () => {
    const gas = new MeterHarness(undefined, 0, at, { deviceType: 'GSME' });
    expect(thrown(() => gas.send('4.2')).message).toBe(
      'SRV 4.2 is not supported by this device model: a GSME does not take it',
    );
    const smets1 = new MeterHarness(undefined, 0, at, { generation: 'SMETS1' });
    expect(thrown(() => smets1.send('4.1.2')).message).toMatch(
      /^SRV 4.1.2 is not supported by this device model: .*SMETS1/,
    );
  });

  it('every supported SRV is in the catalogue and targets an ESME, or the gas meter, the CHF or the GPF for their own', () => {
    const gasOnly = ['6.2.8', '6.6', '6.7', '14.1', '4.1.4'];
    const chfOnly = ['8.11', '8.12.1', '6.28', '6.29', '6.30', '6.31', '6.32'];
    const gpfOnly = ['8.12.2'];
    for (const srv of SUPPORTED_SRVS) {
      const owner = chfOnly.includes(srv)
        ? 'CHF'
        : gpfOnly.includes(srv)
          ? 'GPF'
          : gasOnly.includes(srv)
            ? 'GSME'
            : 'ESME';
      expect(findSrv(srv)?.deviceTypes).toContain(owner);
    }
  });

  it('supports the 30 SRVs the SMETS2 device model is built for', () => {
    const required =
      '1.1.1 1.5 1.6 2.1 2.2 2.3 2.5 3.1 3.2 4.1.1 4.1.2 4.2 4.3 4.6.1 4.8.1 4.8.3 4.10 4.17 4.18 6.5 6.11 6.22 6.23 7.1 7.2 7.3 7.4 8.1.1 11.2 11.3';
    for (const srv of required.split(' ')) expect(SUPPORTED_SRVS).toContain(srv);
  });

  it('malformed parameters: INVALID_ARGUMENT, and the request counter is not consumed', () => {
    const h = new MeterHarness(id, 0, at);
    const before = h.meter.toState();
    const requestId = h.nextRequestId();
    const error = thrown(() =>
      h.meter.run({
        srv: '3.1',
        params: { message: '' },
        requestId,
        signer: { supplierId: h.supplierId, keyId: h.keyId },
      }),
    );
    expect(error.status).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(h.meter.toState()).toEqual(before);
    expect(h.meter.run({ srv: '3.1', params: { message: 'hello' }, requestId }).outcome).toBe('executed');
    expect(thrown(() => h.meter.run({ srv: '7.4', params: { extra: 1 } })).message).toMatch(
      /takes no parameters/,
    );
    expect(thrown(() => h.meter.run({ srv: '1.6', params: { mode: 'credit', typo: 1 } })).message).toMatch(
      /unknown parameter typo/,
    );
  });

  it('property: a replayed or lower RequestID counter is refused (ALREADY_EXISTS) for every SRV, per originator', () => {
    const h = new MeterHarness(id, 0, at);
    const other = '90-B3-D5-1F-30-02-00-00';
    for (let i = 0; i < 40; i++) {
      const counter = BigInt(10_000 + i * 3);
      const srv = i % 2 === 0 ? '7.4' : '4.1.1';
      expect(h.send(srv, undefined, { counter }).outcome).toBe('executed');
      for (const replay of [counter, counter - 1n, counter - BigInt(1 + (i % 3))]) {
        const error = thrown(() => h.send('11.2', undefined, { counter: replay }));
        expect(error.status).toBe(GrpcStatus.ALREADY_EXISTS);
      }
      // Another originator's counters are its own.
      expect(h.send('4.10', undefined, { counter: BigInt(i + 1), originator: other }).outcome).toBe(
        'executed',
      );
    }
  });

  it('a replay changes nothing, not even when the command would have', () => {
    const h = new MeterHarness(id, 0, at);
    h.send('7.2', undefined, { counter: 5_000n });
    h.send('7.3', undefined, { counter: 5_001n });
    const before = h.meter.toState();
    expect(thrown(() => h.send('7.2', undefined, { counter: 5_000n })).status).toBe(
      GrpcStatus.ALREADY_EXISTS,
    );
    expect(h.meter.toState()).toEqual(before);
  });

  it('a RequestID for another device is INVALID_ARGUMENT', () => {
    const h = new MeterHarness(id, 0, at);
    const error = thrown(() =>
      h.meter.run({ srv: '7.4', requestId: `${h.supplierId}:00-DB-12-00-00-00-00-2B:9` }),
    );
    expect(error.status).toBe(GrpcStatus.INVALID_ARGUMENT);
  });

  it('critical SRVs need the trusted supplier signature (PERMISSION_DENIED otherwise); others do not', () => {
    const h = new MeterHarness(id, 0, at);
    expect(thrown(() => h.send('7.2', undefined, { signer: null })).status).toBe(
      GrpcStatus.PERMISSION_DENIED,
    );
    const wrongKey = { supplierId: h.supplierId, keyId: 'other' };
    expect(thrown(() => h.send('7.2', undefined, { signer: wrongKey })).status).toBe(
      GrpcStatus.PERMISSION_DENIED,
    );
    const stranger = { supplierId: '90-B3-D5-1F-30-07-00-00', keyId: '1' };
    expect(thrown(() => h.send('1.6', { mode: 'prepayment' }, { signer: stranger })).status).toBe(
      GrpcStatus.PERMISSION_DENIED,
    );
    expect(h.send('7.4', undefined, { signer: null }).outcome).toBe('executed');
    expect(h.send('3.1', { message: 'hi' }, { signer: null }).outcome).toBe('executed');
    expect(h.send('7.2').outcome).toBe('executed');
  });

  it('device future-dating only where the catalogue says Device; DSP future-dating is the hub’s', () => {
    const h = new MeterHarness(id, 0, at);
    const later = at + 60_000;
    expect(thrown(() => h.send('3.1', { message: 'x' }, { executionTimeMs: later })).message).toMatch(/DSP/);
    expect(thrown(() => h.send('7.2', undefined, { executionTimeMs: later })).status).toBe(
      GrpcStatus.INVALID_ARGUMENT,
    );
    expect(h.send('1.6', { mode: 'prepayment' }, { executionTimeMs: later }).outcome).toBe('scheduled');
  });

  it('does not answer during a power outage (E21), and answers again after it', () => {
    const h = new MeterHarness(id, 0, at);
    h.meter.powerOutage(h.clock.ms);
    h.clock.advance(60_000);
    const error = thrown(() => h.send('4.1.1'));
    expect(error.responseCode).toBe('E21');
    h.meter.powerRestored(h.clock.ms);
    expect(h.send('4.1.1').outcome).toBe('executed');
  });

  it('an uncommissioned meter refuses all but 8.1.1 and a few reads until commissioned, which sets its clock', () => {
    const h = new MeterHarness(undefined, 0, at, { commissioned: false });
    expect(h.meter.toState()).toEqual({ v: 1 });
    const refused = h.send('1.6', { mode: 'prepayment' });
    expect(refused).toMatchObject({ outcome: 'rejected', rejection: { reason: 'NOT_COMMISSIONED' } });
    expect(h.send('11.2').outcome).toBe('executed');
    expect(h.send('7.4').outcome).toBe('executed');
    const commissioned = h.send('8.1.1', { timeMs: at + 5_000, toleranceS: 60 });
    expect(commissioned.body).toEqual({ meterTimeMs: at + 5_000, clockOffsetMs: 5_000, commissioned: true });
    expect(h.send('1.6', { mode: 'prepayment' }).outcome).toBe('executed');
    expect(h.meter.toState()).toMatchObject({ c: 1, o: 5_000 });
  });

  it('6.11 moves the meter clock; reads report meter time', () => {
    const h = new MeterHarness(id, 0, at);
    expect(h.send('6.11', { timeMs: at - 90_000, toleranceS: 90 }).body).toMatchObject({
      clockOffsetMs: -90_000,
    });
    expect(h.send('7.4').meterTimeMs).toBe(at - 90_000);
    h.clock.advance(1_000);
    expect(h.send('4.1.1').body!.meterTimeMs).toBe(at - 89_000);
  });

  it('a hub clock stepping back does not rewind the meter', () => {
    const h = new MeterHarness(id, 0, at);
    h.send('7.2');
    h.clock.advance(-3_600_000);
    expect(h.send('7.4').meterTimeMs).toBe(at);
  });

  it('reports whether the persisted state changed', () => {
    const h = new MeterHarness(id, 0, at);
    expect(h.send('4.1.1', undefined, { anonymous: true }).stateChanged).toBe(false);
    expect(h.send('4.1.1').stateChanged).toBe(true);
    expect(h.send('7.2').stateChanged).toBe(true);
  });
});

describe('MeterDevice.run typing', () => {
  it('typed commands give typed bodies', () => {
    const meter = new MeterDevice(id, 1, () => at);
    const balance: number | undefined = meter.run({ srv: '4.18' }).body?.meterBalancePence;
    const profile = meter.run({ srv: '4.8.1', params: { startMs: at - 86_400_000, endMs: at } }).body!;
    expect(balance).toBe(0);
    expect(profile.valuesWh).toHaveLength(48);
  });
});
