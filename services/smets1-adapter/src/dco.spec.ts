import { generateKeyPairSync } from 'node:crypto';
import { DccError, GrpcStatus } from '@dcc/domain';
import { describe, expect, it } from 'vitest';
import { COHORTS, type Cohort } from './cohort.js';
import { verifyCountersignature } from './countersignature.js';
import { Dco } from './dco.js';
import { callOf, smets1Device, storedCommand } from '../test/test-commands.js';

const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });

/** A DCO that records the order it processes commands in, and how many of a cohort's it processes at once. */
function recordingDco(processingMs: Partial<Record<Cohort, number>> = {}) {
  const order: Record<Cohort, string[]> = { IOC: [], MOC: [], FOC: [] };
  const finishedAt: Record<Cohort, number[]> = { IOC: [], MOC: [], FOC: [] };
  const started = performance.now();
  const dco = new Dco({
    keys,
    processingMs,
    observer: {
      processed: (cohort, requestId) => {
        order[cohort].push(requestId);
        finishedAt[cohort].push(performance.now() - started);
      },
    },
  });
  return { dco, order, finishedAt };
}

describe('the DCO: sequential within a cohort, parallel across cohorts', () => {
  it('processes a cohort’s commands one at a time, in arrival order, under many concurrent submitters', async () => {
    const { dco, order } = recordingDco({ IOC: 2, MOC: 1, FOC: 0 });
    const arrived: Record<Cohort, string[]> = { IOC: [], MOC: [], FOC: [] };
    // 150 submitters (50 devices per cohort, interleaved), all at once, each awaiting its own countersignature.
    const submissions = Array.from({ length: 150 }, (_, n) => {
      const cohort = COHORTS[n % 3]!;
      const stored = storedCommand(smets1Device(n), cohort);
      arrived[cohort].push(stored.request!.requestId);
      return dco.process(cohort, stored, callOf(stored)).then((signature) => ({ stored, signature }));
    });
    expect(dco.queueDepth('IOC')).toBe(50);
    const results = await Promise.all(submissions);
    expect(dco.queueDepth('IOC')).toBe(0);
    for (const cohort of COHORTS) expect(order[cohort]).toEqual(arrived[cohort]);
    for (const { stored, signature } of results) {
      expect(verifyCountersignature(keys.publicKey, stored.deviceId, stored.request!, signature)).toBe(true);
    }
    expect(dco.stats.IOC.countersigned).toBe(50);
  });

  it('never runs two commands of a cohort at once (a slow DCO step overlaps nothing of its cohort)', async () => {
    let running = 0;
    let most = 0;
    const dco = new Dco({
      keys,
      processingMs: { MOC: 5 },
      sleep: async (ms) => {
        running++;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, ms));
        running--;
      },
    });
    await Promise.all(
      Array.from({ length: 20 }, (_, n) => {
        const stored = storedCommand(smets1Device(n), 'MOC');
        return dco.process('MOC', stored, callOf(stored));
      }),
    );
    expect(most).toBe(1);
  });

  it('a slow cohort does not stall the others: IOC at 100 ms a command, MOC and FOC finish long before it', async () => {
    const { dco, finishedAt } = recordingDco({ IOC: 100 });
    const all = Array.from({ length: 30 }, (_, n) => {
      const cohort = COHORTS[n % 3]!;
      const stored = storedCommand(smets1Device(n), cohort);
      return dco.process(cohort, stored, callOf(stored));
    });
    await Promise.all(all);
    // IOC: 10 commands one after another at 100 ms each (about 1 s); the other lanes are not behind it.
    expect(finishedAt.IOC.at(-1)!).toBeGreaterThanOrEqual(990);
    expect(finishedAt.MOC.at(-1)!).toBeLessThan(200);
    expect(finishedAt.FOC.at(-1)!).toBeLessThan(200);
    // And the three lanes overlapped: the whole took about the slowest lane, not the sum.
    expect(finishedAt.IOC.at(-1)!).toBeLessThan(1_400);
  });

  it('refuses what its rules refuse, in its lane, and keeps going with the next command', async () => {
    const { dco, order } = recordingDco();
    const firmware = storedCommand(smets1Device(1), 'FOC', '11.2', undefined);
    const wrongTarget = { ...storedCommand(smets1Device(2), 'FOC'), deviceId: smets1Device(3) };
    const fine = storedCommand(smets1Device(4), 'FOC');
    const outcomes = await Promise.allSettled([
      dco.process('FOC', firmware, { srv: '11.2' }),
      dco.process('FOC', wrongTarget, callOf(wrongTarget)),
      dco.process('FOC', fine, callOf(fine)),
    ]);
    expect(outcomes[0]).toMatchObject({ status: 'rejected', reason: { responseCode: 'E11' } });
    expect(outcomes[1]).toMatchObject({
      status: 'rejected',
      reason: { status: GrpcStatus.INVALID_ARGUMENT },
    });
    expect(outcomes[2]).toMatchObject({ status: 'fulfilled' });
    expect(order.FOC).toHaveLength(3);
    expect(dco.stats.FOC).toMatchObject({ countersigned: 1, refused: 2 });
  });

  it('refuses a critical SRV that arrives without a verified supplier signature', async () => {
    const { dco } = recordingDco();
    const stored = storedCommand(smets1Device(5), 'MOC', '1.5', undefined);
    const refusal = await dco.process('MOC', stored, { srv: '1.5' }).catch((e: DccError) => e);
    expect(refusal).toMatchObject({ status: GrpcStatus.PERMISSION_DENIED });
    expect((refusal as DccError).message).toMatch(/DCO refused: critical SRV 1.5/);
  });
});
