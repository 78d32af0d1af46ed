/** What one renewal round of an instance knows when it decides about its share of the partitions. */
export interface ShareView {
  partitions: number;
  instanceId: string;
  /** Instances with a live heartbeat, this one included (at least 1). */
  liveInstances: number;
  /** Partitions this instance holds, ascending. */
  owned: readonly number[];
  /** Partitions whose lease any instance holds now. */
  taken: ReadonlySet<number>;
  /** Partitions of this instance in transition (being taken up or handed over): left alone this round. */
  busy: ReadonlySet<number>;
}

/** What the round does: release the surplus, or try to claim up to `wanted` of `candidates`, in that order. */
export type SharePlan =
  | { kind: 'release'; partitions: number[] }
  | { kind: 'claim'; wanted: number; candidates: number[] }
  | { kind: 'keep' };

/**
 * Fair share: ceil(P / live instances) each. An instance above it releases the surplus, highest partitions first,
 * so instances converge on the same split; one below it claims free partitions, scanning from an offset that
 * depends on its id so instances claiming at once rarely collide.
 */
export function planShare(view: ShareView): SharePlan {
  const share = Math.ceil(view.partitions / Math.max(1, view.liveInstances));
  const held = view.owned.length;
  if (held > share) return { kind: 'release', partitions: [...view.owned].reverse().slice(0, held - share) };
  if (held === share) return { kind: 'keep' };
  const owned = new Set(view.owned);
  const offset = fnv1a(view.instanceId) % view.partitions;
  const candidates: number[] = [];
  for (let i = 0; i < view.partitions; i++) {
    const p = (offset + i) % view.partitions;
    if (!view.taken.has(p) && !owned.has(p) && !view.busy.has(p)) candidates.push(p);
  }
  return { kind: 'claim', wanted: share - held, candidates };
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
