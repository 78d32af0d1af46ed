import type { Eui64 } from '@dcc/domain';
import { GrpcStatus } from '@dcc/domain';
import { createUtrn, type MeterDevice } from '@dcc/meter';
import { describe, expect, it } from 'vitest';
import type { Smets1Transport } from './smets1-transport.js';
import { deviceKaKeys, smets1PathKit, supplierTopUpKeys } from '../test/smets1-path.js';
import { callOf, profileRead, smets1Device, storedCommand } from '../test/test-commands.js';

// The S1 service providers' delivery model with injected faults: loss both ways, late responses, a cohort out
// of service, each cohort's provider configured on its own.
const smets1Path = smets1PathKit();
const DAY_MS = 86_400_000;

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as { status: number; responseCode?: string },
  );

/** A 2.2 top-up of 2.50 for a SMETS1 ESME (its n-th UTRN), stored as access control would store it. */
function topUp(meter: MeterDevice, deviceId: Eui64, n: number) {
  const supplierId = meter.profile.trustedSupplier.supplierId;
  const utrn = createUtrn({
    supplierId,
    deviceId,
    supplierTopUpKey: supplierTopUpKeys.privateKey,
    devicePublicKey: deviceKaKeys.keyPair(deviceId).publicKey,
    counter: BigInt(n) << 32n,
    pence: 250,
  });
  return storedCommand(deviceId, 'MOC', '2.2', { $case: 'topUpDevice', value: { utrn } });
}

/** A SMETS1 ESME activated by a first read (the device edge makes its meter then). */
async function activated(transport: Smets1Transport, n: number) {
  const deviceId = smets1Device(n);
  const link = transport.open(deviceId, undefined);
  const read = storedCommand(deviceId, 'MOC');
  await transport.send(link, callOf(read), read);
  return { deviceId, link, meter: link.meter! };
}

const balance = (meter: MeterDevice) => meter.inspect().prepay.balanceMp;

describe('the S1 service providers’ delivery model', () => {
  it('lost commands and responses are retried within the TRT; each top-up credits the meter once', async () => {
    const reference = smets1Path();
    const once = await activated(reference.transport, 20);
    const before = balance(once.meter);
    const first = topUp(once.meter, once.deviceId, 1);
    await reference.transport.send(once.link, callOf(first), first);
    const credit = balance(once.meter) - before;
    expect(credit).toBeGreaterThan(0);

    const { transport, providers, dco } = smets1Path({ model: { lossRate: 0.5, attemptTimeoutMs: 5 } });
    const { deviceId, link, meter } = await activated(transport, 21);
    const start = balance(meter);
    const signedBefore = dco.stats.MOC.countersigned;
    const executedBefore = providers.stats.MOC.deviceExecutions;
    const TOP_UPS = 8;
    for (let k = 1; k <= TOP_UPS; k++) {
      const stored = topUp(meter, deviceId, k);
      expect(await transport.send(link, callOf(stored), stored)).toMatchObject({ outcome: 'executed' });
    }
    expect(balance(meter) - start).toBe(TOP_UPS * credit);
    // The DCO passed each once; repeats the S1 service provider sent after the meter had executed a top-up
    // were answered from the meter's memory, never credited again.
    expect(dco.stats.MOC.countersigned - signedBefore).toBe(TOP_UPS);
    expect(providers.stats.MOC.deviceExecutions - executedBefore).toBe(TOP_UPS);
    expect(providers.stats.MOC.retries).toBeGreaterThan(0);
    expect(providers.stats.MOC.duplicatesSuppressed).toBeGreaterThan(0);
  });

  it('the provider unreachable (100 % loss): E20 within the TRT, the device never reached', async () => {
    const { transport, providers } = smets1Path({
      model: { lossRate: 1, attemptTimeoutMs: 10 },
      targetResponseMs: 150,
    });
    const deviceId = smets1Device(22);
    const link = transport.open(deviceId, undefined);
    const read = storedCommand(deviceId, 'MOC');
    const started = Date.now();
    const error = await failure(transport.send(link, callOf(read), read));
    expect(Date.now() - started).toBeLessThan(150 + 100);
    expect(error?.responseCode).toBe('E20');
    expect(link.meter).toBeUndefined(); // never activated
    expect(providers.stats.MOC).toMatchObject({ e20: 1, deviceExecutions: 0 });
  });

  it('responses always later than the attempt timeout: E21 within the TRT, executed exactly once', async () => {
    const { transport, providers } = smets1Path({
      model: { baseLatencyMs: 50, attemptTimeoutMs: 10 },
      targetResponseMs: 120,
    });
    const deviceId = smets1Device(23);
    const link = transport.open(deviceId, undefined);
    const read = storedCommand(deviceId, 'MOC');
    const error = await failure(transport.send(link, callOf(read), read));
    expect(error?.responseCode).toBe('E21');
    expect(providers.stats.MOC.deviceExecutions).toBe(1);
    expect(providers.stats.MOC.duplicatesSuppressed).toBeGreaterThan(0);
  });

  it('each cohort has its own model: a failing IOC provider answers E20 while MOC delivers', async () => {
    const { transport, providers } = smets1Path({
      cohortModels: { IOC: { lossRate: 1, attemptTimeoutMs: 10 } },
      targetResponseMs: 100,
    });
    const ioc = storedCommand(smets1Device(24), 'IOC');
    const moc = storedCommand(smets1Device(25), 'MOC');
    const [iocError, mocResult] = await Promise.all([
      failure(transport.send(transport.open(smets1Device(24), undefined), callOf(ioc), ioc)),
      transport.send(transport.open(smets1Device(25), undefined), callOf(moc), moc),
    ]);
    expect(iocError?.responseCode).toBe('E20');
    expect(mocResult.outcome).toBe('executed');
    expect(providers.stats.IOC.e20).toBe(1);
    expect(providers.stats.MOC).toMatchObject({ delivered: 1, e20: 0, retries: 0 });
  });

  it('a cohort out of service holds its commands before the DCO (retryable, no code); back in service they run', async () => {
    const { transport, providers, dco } = smets1Path();
    const { deviceId, link, meter } = await activated(transport, 26);
    const today = Date.now() - (Date.now() % DAY_MS);
    const profile = storedCommand(
      deviceId,
      'MOC',
      '4.8.1',
      profileRead({ startMs: today - DAY_MS, endMs: today }),
    );
    await transport.send(link, callOf(profile), profile);
    const state = meter.inspect();
    const signed = dco.stats.MOC.countersigned;
    await providers.setInService('MOC', false);
    try {
      const stored = topUp(meter, deviceId, 1);
      const held = await failure(transport.send(link, callOf(stored), stored));
      expect(held).toMatchObject({ status: GrpcStatus.UNAVAILABLE, responseCode: undefined });
      expect(meter.inspect()).toEqual(state);
      expect(dco.stats.MOC.countersigned).toBe(signed); // nothing countersigned, nothing sent
      expect(providers.stats.MOC.heldOutOfService).toBe(1);
      // A profile the cache holds needs neither the DCO nor the provider: still served.
      const again = storedCommand(
        deviceId,
        'MOC',
        '4.8.1',
        profileRead({ startMs: today - DAY_MS, endMs: today }),
      );
      expect(await transport.send(link, callOf(again), again)).toMatchObject({ outcome: 'executed' });
      // Other cohorts flow.
      const foc = storedCommand(smets1Device(27), 'FOC');
      expect(
        (await transport.send(transport.open(smets1Device(27), undefined), callOf(foc), foc)).outcome,
      ).toBe('executed');
      expect(providers.inService('MOC')).toBe(false);
    } finally {
      await providers.setInService('MOC', true);
    }
    const redelivered = topUp(meter, deviceId, 1);
    expect(await transport.send(link, callOf(redelivered), redelivered)).toMatchObject({
      outcome: 'executed',
    });
    expect(balance(meter)).toBeGreaterThan(state.prepay.balanceMp);
  });
});
