import { describe, expect, it } from 'vitest';
import { ArrivalOrder } from './arrival-order.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('ArrivalOrder', () => {
  it('finishes the work of one key in arrival order even when the earlier work is slower', async () => {
    const order = new ArrivalOrder();
    const finished: number[] = [];
    // Earlier work takes longer: without a lane the last would finish first.
    await Promise.all(
      [40, 30, 20, 10, 0].map((ms, i) =>
        order.run('pair', async () => {
          await pause(ms);
          finished.push(i);
        }),
      ),
    );
    expect(finished).toEqual([0, 1, 2, 3, 4]);
    expect(order.size).toBe(0);
  });

  it('runs different keys concurrently', async () => {
    const order = new ArrivalOrder();
    const finished: string[] = [];
    await Promise.all([
      order.run('slow', async () => {
        await pause(30);
        finished.push('slow');
      }),
      order.run('fast', async () => {
        await pause(1);
        finished.push('fast');
      }),
    ]);
    expect(finished).toEqual(['fast', 'slow']);
  });

  it('a refusal reaches only its own caller and does not hold up the next in line', async () => {
    const order = new ArrivalOrder();
    const first = order.run('pair', async () => {
      await pause(5);
      throw new Error('refused');
    });
    const second = order.run('pair', () => Promise.resolve('stored'));
    await expect(first).rejects.toThrow('refused');
    await expect(second).resolves.toBe('stored');
  });

  it('with ifEarlierFailed, work behind a failure fails unrun, so both come again in order', async () => {
    const order = new ArrivalOrder();
    const ran: string[] = [];
    const behind = () => new Error('behind a failure: comes again');
    const first = order.run(
      'pair',
      async () => {
        await pause(5);
        throw new Error('registration unavailable');
      },
      behind,
    );
    const second = order.run('pair', async () => void ran.push('second'), behind);
    const other = order.run('other', async () => void ran.push('other'), behind);
    await expect(first).rejects.toThrow('registration unavailable');
    await expect(second).rejects.toThrow('behind a failure: comes again');
    await other;
    expect(ran).toEqual(['other']);
    // Both come again (redelivered): now they run, in order.
    await order.run('pair', async () => void ran.push('first again'), behind);
    await order.run('pair', async () => void ran.push('second again'), behind);
    expect(ran).toEqual(['other', 'first again', 'second again']);
    expect(order.size).toBe(0);
  });

  it('forgets a key once its work has settled, so the map stays as small as the work in flight', async () => {
    const order = new ArrivalOrder();
    const runs = Array.from({ length: 1_000 }, (_, i) => order.run(`pair-${i}`, () => pause(1)));
    expect(order.size).toBe(1_000);
    await Promise.all(runs);
    await pause(0);
    expect(order.size).toBe(0);
  });
});
