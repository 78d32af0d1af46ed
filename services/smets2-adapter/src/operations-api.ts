import type { Smets2OperationsServiceServer } from '@dcc/proto';

export interface FleetCounters {
  fleetSize: number;
  commandsExecuted: number;
}

/** The adapter's operations API: what an SRE asks a running instance. */
export function operationsApi(
  actors: { readonly activeCount: number },
  counters: FleetCounters,
): Smets2OperationsServiceServer {
  return {
    getFleetStatus: (_call, callback) =>
      callback(null, {
        fleetSize: counters.fleetSize,
        activeActors: actors.activeCount,
        commandsExecuted: counters.commandsExecuted,
      }),
  };
}
