import { DccError, parseEui64 } from '@dcc/domain';
import { operatorUnary, type OperatorAccess } from '@dcc/meter-delivery';
import type { Smets2OperationsServiceServer, Smets2RegionStatus } from '@dcc/proto';
import { parseRegion, REGIONS, type Region } from './csp-region.js';
import type { CspWan } from './csp-wan.js';

/** The SMETS2 adapter's operations API: what an operator asks of, and does to, a running instance. */
export function operationsApi(parts: {
  fleet: { readonly size: number };
  actors: { readonly activeCount: number };
  stats: { readonly commandsExecuted: number };
  wan: CspWan;
  access: OperatorAccess;
}): Smets2OperationsServiceServer {
  const { fleet, actors, stats, wan, access } = parts;
  const unary = operatorUnary(access);
  const status = (region: Region): Smets2RegionStatus => {
    const s = wan.stats[region];
    return {
      region,
      inService: wan.inService(region),
      queueDepth: s.queued,
      inFlight: s.inFlight,
      delivered: s.delivered,
      retries: s.retries,
      duplicatesSuppressed: s.duplicatesSuppressed,
      deviceExecutions: s.deviceExecutions,
      e20: s.e20,
      e21: s.e21,
      heldOutOfService: s.heldOutOfService,
    };
  };
  return {
    getFleetStatus: unary(() => ({
      fleetSize: fleet.size,
      activeActors: actors.activeCount,
      commandsExecuted: stats.commandsExecuted,
    })),
    getRegionStatus: unary(() => ({
      regions: REGIONS.map(status),
      unavailableCommsHubs: wan.unavailableHops,
    })),
    // Both hold for every instance of the adapter (stored in JetStream KV before the reply).
    setRegionInService: unary(async (request, operator) => {
      const region = parseRegion(request.region);
      if (!region) throw DccError.invalidArgument(`region must be one of ${REGIONS.join(', ')}`);
      await wan.setInService(region, request.inService, operator);
      return { status: status(region) };
    }),
    setCommsHubAvailable: unary(async (request, operator) => {
      await wan.setHopAvailable(parseEui64(request.commsHubId, 'comms_hub_id'), request.available, operator);
      return {};
    }),
  };
}
