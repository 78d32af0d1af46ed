import { describe, expect, it } from 'vitest';
import { planShare, type ShareView } from './lease-share.js';

const view = (over: Partial<ShareView>): ShareView => ({
  partitions: 16,
  instanceId: 'a',
  liveInstances: 1,
  owned: [],
  taken: new Set(),
  busy: new Set(),
  ...over,
});

describe('an instance’s share of the partitions', () => {
  it('a lone instance claims every free partition, each once, from its own offset', () => {
    const plan = planShare(view({}));
    expect(plan.kind).toBe('claim');
    if (plan.kind !== 'claim') return;
    expect(plan.wanted).toBe(16);
    expect([...plan.candidates].sort((x, y) => x - y)).toEqual([...Array(16).keys()]);
    // a rotation of 0..15: consecutive modulo P from the offset
    plan.candidates.forEach((p, i) => expect(p).toBe((plan.candidates[0]! + i) % 16));
  });

  it('instances start claiming at different offsets, so claiming at once they rarely collide', () => {
    const first = (id: string) => {
      const plan = planShare(view({ instanceId: id, liveInstances: 3 }));
      return plan.kind === 'claim' ? plan.candidates[0] : undefined;
    };
    expect(new Set(['adapter-0', 'adapter-1', 'adapter-2', 'adapter-3'].map(first)).size).toBeGreaterThan(1);
  });

  it('skips partitions held by anyone, its own, and those in transition; wants only up to ceil(P / live)', () => {
    const plan = planShare(
      view({ liveInstances: 3, owned: [1, 2], taken: new Set([1, 2, 3, 4, 5]), busy: new Set([6]) }),
    );
    expect(plan).toMatchObject({ kind: 'claim', wanted: 4 }); // ceil(16 / 3) = 6, holds 2
    if (plan.kind !== 'claim') return;
    expect([...plan.candidates].sort((x, y) => x - y)).toEqual([0, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
  });

  it('above its share it releases the surplus, highest first; at its share it keeps what it has', () => {
    expect(planShare(view({ liveInstances: 4, owned: [0, 3, 5, 7, 9, 11] }))).toEqual({
      kind: 'release',
      partitions: [11, 9],
    });
    expect(planShare(view({ liveInstances: 4, owned: [0, 3, 5, 7] }))).toEqual({ kind: 'keep' });
  });

  it('property: every instance of N, each holding its share, together cover all P partitions', () => {
    for (const [partitions, live] of [
      [16, 3],
      [64, 5],
      [7, 7],
      [10, 4],
    ] as const) {
      const share = Math.ceil(partitions / live);
      expect(share * live).toBeGreaterThanOrEqual(partitions);
      expect(planShare(view({ partitions, liveInstances: live, owned: [...Array(share).keys()] }))).toEqual({
        kind: 'keep',
      });
    }
  });
});
