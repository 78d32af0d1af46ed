import { DccError } from '@dcc/domain';
import { operatorUnary, type OperatorAccess } from '@dcc/meter-delivery';
import type { Smets1CohortStatus, Smets1OperationsServiceServer } from '@dcc/proto';
import { COHORTS, type Cohort } from './cohort.js';
import type { Dco } from './dco.js';
import type { HalfHourlyCache } from './half-hourly-cache.js';
import type { S1ServiceProviders } from './s1-service-providers.js';

const parseCohort = (name: string): Cohort | undefined =>
  COHORTS.find((c) => c === name.trim().toUpperCase());

/**
 * The SMETS1 adapter's operations API: what an operator asks of, and does to, a running instance; operators
 * only (OPERATOR_IDS).
 */
export function operationsApi(parts: {
  actors: { readonly activeCount: number };
  stats: { readonly commandsExecuted: number };
  dco: Dco;
  providers: S1ServiceProviders;
  cache: HalfHourlyCache;
  access: OperatorAccess;
}): Smets1OperationsServiceServer {
  const { actors, stats, dco, providers, cache, access } = parts;
  const unary = operatorUnary(access);
  const status = (cohort: Cohort): Smets1CohortStatus => {
    const sp = providers.stats[cohort];
    return {
      cohort,
      dcoQueueDepth: dco.queueDepth(cohort),
      inFlight: sp.inFlight,
      dcoCountersigned: dco.stats[cohort].countersigned,
      dcoRefused: dco.stats[cohort].refused,
      delivered: sp.delivered,
      inService: providers.inService(cohort),
      spQueueDepth: sp.queued,
      retries: sp.retries,
      duplicatesSuppressed: sp.duplicatesSuppressed,
      deviceExecutions: sp.deviceExecutions,
      e20: sp.e20,
      e21: sp.e21,
      heldOutOfService: sp.heldOutOfService,
    };
  };
  return {
    getSmets1Status: unary(() => ({
      activeActors: actors.activeCount,
      commandsExecuted: stats.commandsExecuted,
      cohorts: COHORTS.map(status),
      halfHourlyCache: {
        hits: cache.stats.hits,
        misses: cache.stats.misses,
        hitRate: cache.hitRate,
        entries: cache.size,
      },
    })),
    // Holds for every instance of the adapter (stored in JetStream KV before the reply).
    setCohortInService: unary(async (request, operator) => {
      const cohort = parseCohort(request.cohort);
      if (!cohort) throw DccError.invalidArgument(`cohort must be one of ${COHORTS.join(', ')}`);
      await providers.setInService(cohort, request.inService, operator);
      return { status: status(cohort) };
    }),
  };
}
