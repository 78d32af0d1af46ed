import type { Smets2OperationsServiceServer } from '@dcc/proto';

/** The adapter's operations API: what an SRE asks a running instance. */
export function operationsApi(
  fleet: { readonly size: number },
  actors: { readonly activeCount: number },
  stats: { readonly commandsExecuted: number },
): Smets2OperationsServiceServer {
  return {
    getFleetStatus: (_call, callback) =>
      callback(null, {
        fleetSize: fleet.size,
        activeActors: actors.activeCount,
        commandsExecuted: stats.commandsExecuted,
      }),
  };
}
