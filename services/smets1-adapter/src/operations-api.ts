import { authoriseOperator, type OperatorAccess } from '@dcc/meter-delivery';
import type { Smets1OperationsServiceServer } from '@dcc/proto';
import { MalformedMessage, toServiceError } from '@dcc/service-kit';
import { COHORTS } from './cohort.js';
import type { Dco } from './dco.js';
import type { HalfHourlyCache } from './half-hourly-cache.js';
import type { S1ServiceProviders } from './s1-service-providers.js';

/** The SMETS1 adapter's operations API: what an SRE asks a running instance; operators only (OPERATOR_IDS). */
export function operationsApi(parts: {
  actors: { readonly activeCount: number };
  stats: { readonly commandsExecuted: number };
  dco: Dco;
  providers: S1ServiceProviders;
  cache: HalfHourlyCache;
  access: OperatorAccess;
}): Smets1OperationsServiceServer {
  const { actors, stats, dco, providers, cache, access } = parts;
  return {
    getSmets1Status: (call, callback) => {
      try {
        authoriseOperator(call, access);
        const request: unknown = call.request;
        if (request instanceof MalformedMessage) throw request.error();
      } catch (error) {
        callback(toServiceError(error));
        return;
      }
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
      });
    },
  };
}
