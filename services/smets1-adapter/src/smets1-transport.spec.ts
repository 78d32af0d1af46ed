import { generateKeyPairSync } from 'node:crypto';
import { GrpcStatus } from '@dcc/domain';
import { packBytes } from '@dcc/meter-delivery';
import { describe, expect, it } from 'vitest';
import { smets1PathKit } from '../test/smets1-path.js';
import { callOf, MDR, profileRead, smets1Device, storedCommand } from '../test/test-commands.js';

const DAY_MS = 86_400_000;
const smets1Path = smets1PathKit();

const midnight = (t: number) => t - (t % DAY_MS);

describe('the SMETS1 transport', () => {
  it('passes a read through the DCO of its cohort and the S1 service provider to a SMETS1 meter', async () => {
    const { transport, dco, providers } = smets1Path();
    const device = smets1Device(1);
    const link = transport.open(device, undefined);
    const stored = storedCommand(device, 'MOC');
    const result = await transport.send(link, callOf(stored), stored);
    expect(result).toMatchObject({ srv: '4.1.1', outcome: 'executed' });
    expect(link.meter?.profile).toMatchObject({
      generation: 'SMETS1',
      deviceType: 'ESME',
      noMidnightRead: true,
    });
    expect(dco.stats.MOC.countersigned).toBe(1);
    expect(providers.stats.MOC.delivered).toBe(1);
    // Restored from what it saved: same type and state.
    const again = transport.open(device, transport.save(link));
    expect(again.meter?.inspect()).toEqual(link.meter?.inspect());
  });

  it('between turns the link keeps only what was stored; the next turn finds the meter as stored', async () => {
    const { transport } = smets1Path();
    const device = smets1Device(3);
    const link = transport.open(device, undefined);
    const stored = storedCommand(device, 'MOC');
    await transport.send(link, callOf(stored), stored);
    const saved = transport.save(link);
    const expected = link.meter?.inspect();
    transport.rest(link);
    expect(link).toMatchObject({ meter: undefined, executed: undefined, stored: packBytes(saved) });
    expect(transport.trustedSupplier(link)).toBeDefined(); // rebuilt for the next turn, from the stored bytes
    expect(link.meter?.profile).toMatchObject({ generation: 'SMETS1', deviceType: 'ESME' });
    expect(link.meter?.inspect()).toEqual(expected);
  });

  it('a firmware image its service provider forwards is held by the SMETS1 meter; a damaged one is refused', () => {
    const { transport } = smets1Path();
    const device = smets1Device(5);
    const link = transport.open(device, undefined);
    const image = { imageHash: 'cd'.repeat(32), version: '01000002' };
    expect(transport.firmwareTransfer(link, image, 'ESME').map((a) => a.code)).toEqual([0x8f8a]);
    expect(link.meter?.profile).toMatchObject({ generation: 'SMETS1', deviceType: 'ESME' });
    expect(link.meter?.inspect().stagedImage).toEqual({ hash: image.imageHash, version: image.version });
    expect(transport.firmwareTransfer(link, undefined, 'ESME').map((a) => a.code)).toEqual([0x8f89]);
    // The SMETS1 device edge models meters only: a type it does not model is refused, not guessed.
    expect(() =>
      transport.firmwareTransfer(transport.open(smets1Device(6), undefined), image, 'PPMID'),
    ).toThrow(/models ESME and GSME/);
  });

  it('a command the DCO refuses never reaches the device', async () => {
    const { transport, providers } = smets1Path();
    const device = smets1Device(2);
    const link = transport.open(device, undefined);
    const firmware = storedCommand(device, 'IOC', '11.2', undefined);
    await expect(
      transport.send(link, { srv: '11.2', requestId: firmware.request!.requestId }, firmware),
    ).rejects.toMatchObject({ responseCode: 'E11' });
    expect(link.meter).toBeUndefined(); // never activated
    expect(providers.stats.IOC.delivered).toBe(0);
  });

  it('the device edge refuses a command countersigned with a key other than the DCO’s', async () => {
    const impostor = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const { transport } = smets1Path({ signingKeys: impostor });
    const device = smets1Device(3);
    const link = transport.open(device, undefined);
    const stored = storedCommand(device, 'FOC');
    await expect(transport.send(link, callOf(stored), stored)).rejects.toMatchObject({
      status: GrpcStatus.PERMISSION_DENIED,
    });
    expect(link.meter).toBeUndefined();
  });

  it('a SMETS1 command without a cohort in the inventory is refused, not guessed', async () => {
    const { transport } = smets1Path();
    const device = smets1Device(4);
    const stored = storedCommand(device, undefined);
    await expect(
      transport.send(transport.open(device, undefined), callOf(stored), stored),
    ).rejects.toMatchObject({ status: GrpcStatus.FAILED_PRECONDITION });
  });

  it('half-hourly cache: a second User’s same period is served without the meter, another period is not', async () => {
    const { transport, providers, dco, cache } = smets1Path();
    const device = smets1Device(5);
    const link = transport.open(device, undefined);
    const today = midnight(Date.now());
    const yesterday = { startMs: today - DAY_MS, endMs: today };
    const dayBefore = { startMs: today - 2 * DAY_MS, endMs: today - DAY_MS };
    const ask = async (period: typeof yesterday, userId?: string) => {
      const stored = storedCommand(device, 'FOC', '4.8.1', profileRead(period), userId);
      return transport.send(link, callOf(stored), stored);
    };
    const supplier = await ask(yesterday);
    expect(providers.stats.FOC.delivered).toBe(1);
    const mdr = await ask(yesterday, MDR);
    expect(mdr.body).toEqual(supplier.body);
    expect(providers.stats.FOC.delivered).toBe(1); // the meter was not woken
    expect(dco.stats.FOC.countersigned).toBe(1);
    await ask(dayBefore, MDR);
    expect(providers.stats.FOC.delivered).toBe(2);
    expect(cache.stats).toEqual({ hits: 1, misses: 2 });
    expect(cache.hitRate).toBeCloseTo(1 / 3);
    // A period still running is not kept (it would gain half hours).
    await ask({ startMs: today, endMs: today + DAY_MS });
    await ask({ startMs: today, endMs: today + DAY_MS });
    expect(providers.stats.FOC.delivered).toBe(4);
  });

  it('a command that changes the meter drops its cached profiles', async () => {
    const { transport, providers } = smets1Path();
    const device = smets1Device(6);
    const link = transport.open(device, undefined);
    const today = midnight(Date.now());
    const read = () =>
      storedCommand(device, 'IOC', '4.8.1', profileRead({ startMs: today - DAY_MS, endMs: today }));
    const first = read();
    await transport.send(link, callOf(first), first);
    const restrict = storedCommand(device, 'IOC', '3.2', {
      $case: 'restrictAccessForChangeOfTenancy',
      value: { restrictionDateTimeMs: today - DAY_MS / 2 },
    });
    expect(await transport.send(link, callOf(restrict), restrict)).toMatchObject({ stateChanged: true });
    const second = read();
    const after = await transport.send(link, callOf(second), second);
    expect(providers.stats.IOC.delivered).toBe(3);
    expect(after.body).toMatchObject({ firstSlotStartMs: today - DAY_MS / 2 });
  });

  it('SMETS1 differences: 4.6.1 is derived from the profile (no midnight read), 4.1.2 is not supported', async () => {
    const { transport } = smets1Path();
    const device = smets1Device(7);
    const link = transport.open(device, undefined);
    const today = midnight(Date.now());
    const daily = storedCommand(device, 'MOC', '4.6.1', {
      $case: 'retrieveImportDailyReadLog',
      value: { period: { startMs: today - 3 * DAY_MS, endMs: today } },
    });
    expect((await transport.send(link, callOf(daily), daily)).body).toMatchObject({
      source: 'derived-from-profile',
    });
    const tou = storedCommand(device, 'MOC', '4.1.2', {
      $case: 'readInstantaneousImportTouMatrices',
      value: {},
    });
    await expect(transport.send(link, callOf(tou), tou)).rejects.toMatchObject({
      status: GrpcStatus.UNIMPLEMENTED,
    });
  });
});
