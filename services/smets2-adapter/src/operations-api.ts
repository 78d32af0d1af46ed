import type { ActorHost } from '@dcc/actors';
import type { Smets2OperationsServiceServer } from '@dcc/proto';

export interface FleetCounters {
  fleetSize: number;
  commandsExecuted: number;
}

/** The adapter's operations API: what an SRE asks a running instance. */
export function operationsApi(
  actors: ActorHost<unknown, never, unknown>,
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
