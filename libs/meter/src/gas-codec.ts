import type { GasConversion, GasState } from './gas.js';

/**
 * GasState in the stored form (state-codec.ts key `gs`): [conversions, flow?]; flow is [rate, stabilisation,
 * measurement, depletion locked 0/1, tamper locked 0/1] and left out at the defaults.
 */
export type StoredGasState = [GasConversion[], [number, number, number, 0 | 1, 0 | 1]?];

export function encodeGas(gas: GasState): StoredGasState {
  const conversions = gas.conversions.map((c) => [...c] as GasConversion);
  const f = gas.flow;
  if (!f) return [conversions];
  return [
    conversions,
    [
      f.rateTenThousandths,
      f.stabilisationS,
      f.measurementS,
      f.depletionLocked ? 1 : 0,
      f.tamperLocked ? 1 : 0,
    ],
  ];
}

export function decodeGas([conversions, flow]: StoredGasState): GasState {
  return {
    conversions: conversions.map((c) => [...c] as GasConversion),
    flow: flow
      ? {
          rateTenThousandths: flow[0],
          stabilisationS: flow[1],
          measurementS: flow[2],
          depletionLocked: flow[3] === 1,
          tamperLocked: flow[4] === 1,
        }
      : null,
  };
}
