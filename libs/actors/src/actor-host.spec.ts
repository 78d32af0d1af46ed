import { describe, expect, it } from 'vitest';
import { ActorHost, MailboxFullError } from './actor-host.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('ActorHost', () => {
  it('runs messages to one actor one at a time, in order, while actors run in parallel', async () => {
    const log: string[] = [];
    let running = 0;
    let maxRunningPerActor = 0;
    const busy = new Map<string, number>();
    const host = new ActorHost<{ seen: number[] }, number, number>(
      {
        activate: () => ({ seen: [] }),
        receive: async (state, n, id) => {
          busy.set(id, (busy.get(id) ?? 0) + 1);
          maxRunningPerActor = Math.max(maxRunningPerActor, busy.get(id)!);
          running++;
          await tick(Math.random() * 3);
          state.seen.push(n);
          log.push(`${id}:${n}`);
          running--;
          busy.set(id, busy.get(id)! - 1);
          return state.seen.length;
        },
      },
      { mailboxCapacity: 1_000 },
    );
    const replies = await Promise.all(
      Array.from({ length: 200 }, (_, i) => host.send(`m${i % 4}`, Math.floor(i / 4))),
    );
    expect(maxRunningPerActor).toBe(1);
    for (let m = 0; m < 4; m++) {
      const order = log.filter((l) => l.startsWith(`m${m}:`)).map((l) => Number(l.split(':')[1]));
      expect(order).toEqual(Array.from({ length: 50 }, (_, i) => i));
    }
    expect(replies.filter((_, i) => i % 4 === 0)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(running).toBe(0);
    await host.close();
  });

  it('activates once per actor and passivates idle ones with their state', async () => {
    const activated: string[] = [];
    const saved = new Map<string, number>();
    const host = new ActorHost<{ count: number }, void, number>(
      {
        activate: (id) => {
          activated.push(id);
          return { count: saved.get(id) ?? 0 };
        },
        receive: (state) => ++state.count,
        passivate: (id, state) => void saved.set(id, state.count),
      },
      { idleMs: 30 },
    );
    await host.send('a', undefined);
    await host.send('a', undefined);
    expect(host.activeCount).toBe(1);
    await tick(120);
    expect(host.activeCount).toBe(0);
    expect(saved.get('a')).toBe(2);
    expect(await host.send('a', undefined)).toBe(3);
    expect(activated).toEqual(['a', 'a']);
    await host.close();
    expect(host.activeCount).toBe(0);
  });

  it('refuses messages beyond the mailbox capacity instead of queueing without bound', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const host = new ActorHost<null, void, void>(
      { activate: () => null, receive: () => gate },
      { mailboxCapacity: 2 },
    );
    const first = host.send('x', undefined);
    const second = host.send('x', undefined);
    await expect(host.send('x', undefined)).rejects.toBeInstanceOf(MailboxFullError);
    release();
    await Promise.all([first, second]);
    await expect(host.send('x', undefined)).resolves.toBeUndefined();
    await host.close();
  });

  it('keeps serving an actor after one of its messages failed', async () => {
    const host = new ActorHost<null, number, number>({
      activate: () => null,
      receive: (_s, n) => {
        if (n === 1) throw new Error('boom');
        return n;
      },
    });
    await expect(host.send('x', 1)).rejects.toThrow('boom');
    await expect(host.send('x', 2)).resolves.toBe(2);
    await host.close();
  });

  it('forgets a failed activation and tries again on the next message', async () => {
    let attempts = 0;
    const host = new ActorHost<string, void, string>({
      activate: (id) => {
        attempts++;
        if (attempts === 1) throw new Error('store unavailable');
        return id;
      },
      receive: (state) => state,
    });
    await expect(host.send('m', undefined)).rejects.toThrow('store unavailable');
    expect(host.activeCount).toBe(0);
    await expect(host.send('m', undefined)).resolves.toBe('m');
    expect(attempts).toBe(2);
    await host.close();
  });
});
