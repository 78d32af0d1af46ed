import type { Smets1OperationsServiceServer } from '@dcc/proto';
import { COHORTS } from './cohort.js';
import type { Dco } from './dco.js';
import type { HalfHourlyCache } from './half-hourly-cache.js';
import type { S1ServiceProviders } from './s1-service-providers.js';

/** The SMETS1 adapter's operations API: what an SRE asks a running instance. */
export function operationsApi(parts: {
  actors: { readonly activeCount: number };
  stats: { readonly commandsExecuted: number };
  dco: Dco;
  providers: S1ServiceProviders;
  cache: HalfHourlyCache;
}): Smets1OperationsServiceServer {
  const { actors, stats, dco, providers, cache } = parts;
  return {
    getSmets1Status: (_call, callback) =>
      callback(null, {
        activeActors: actors.activeCount,
        commandsExecuted: stats.commandsExecuted,
        cohorts: COHORTS.map((cohort) => ({
          cohort,
          dcoQueueDepth: dco.queueDepth(cohort),
          inFlight: providers.stats[cohort].inFlight,
          dcoCountersigned: dco.stats[cohort].countersigned,
          dcoRefused: dco.stats[cohort].refused,
          delivered: providers.stats[cohort].delivered,
        })),
        halfHourlyCache: {
          hits: cache.stats.hits,
          misses: cache.stats.misses,
          hitRate: cache.hitRate,
          entries: cache.size,
        },
      }),
  };
}
