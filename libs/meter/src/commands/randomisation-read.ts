import { auxLoadView, randomisedOffsetMs } from '../aux-load.js';
import type { SrvHandler } from './handler.js';
import { done, meterTime } from './outcome.js';
import { Params } from './params.js';
import type { RandomisationReading } from './types.js';

/**
 * 6.2.2 Read Device Configuration (Randomisation), GBCS ECS26c: the Randomised Offset Limit 7.12 last set (0 out of
 * the box) and the offset the ESME draws within it for each of its auxiliary load switches, the same one it adds to
 * that switch's scheduled switchings (aux-load.ts), so what the reading says is what the device does.
 */
export const readRandomisationConfiguration: SrvHandler<undefined, RandomisationReading> = {
  parse: (raw) => Params.none('6.2.2', raw),
  execute(ctx) {
    const aux = auxLoadView(ctx.state, ctx.device.profile);
    const limitS = aux.randomisedOffsetLimitS;
    return done({
      randomisedOffsetLimitS: limitS,
      switchOffsets: aux.switches.map((_, i) => ({
        switchIndex: i + 1,
        randomisedOffsetS: randomisedOffsetMs(ctx.device.deviceId, i + 1, limitS) / 1000,
      })),
      meterTimeMs: meterTime(ctx),
    });
  },
};
