import type { GridMetersRequest, GridMetersResponse } from '@dcc/proto';
import { gridArea } from './grid-connections.js';
import { meterKindGeneration, type RegistrationState } from './state.js';

/**
 * The smart electricity meters (ESMEs) connected to a feeder or a substation, with their generation: the
 * device edge (the adapters' grid simulation) asks which of its meters a network event reaches.
 */
export function gridMeters(state: RegistrationState, request: GridMetersRequest): GridMetersResponse {
  const { view } = state;
  const meters = [];
  for (const point of state.grid.pointsOn(gridArea(request))) {
    const info = view.describe(point);
    if (info.deviceId === undefined) continue;
    meters.push({ deviceId: info.deviceId, smetsGeneration: meterKindGeneration(info.kind) });
  }
  return { meters };
}
