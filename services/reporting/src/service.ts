import { consumers, ensureHubStreams, observeConsumerLag, streams } from '@dcc/bus';
import { operatorAccessOf, tolerantDefinition, type ServiceModule } from '@dcc/service-kit';
import { ReportingServiceService } from '@dcc/proto';
import { reportingConfig } from './config.js';
import { decisionFacts, responseFacts } from './facts.js';
import { reportingApi } from './reporting-api.js';
import { StreamTally } from './stream-tally.js';
import { TallyStore } from './tally-store.js';

/**
 * reporting: the hub's own reports (docs/operations.md). Tallies every Service Response stored on RESPONSES and
 * every decision access control stored on ACCOUNTING into the KV bucket `reporting`, per month, User and SRV,
 * through durable consumers its instances share; answers operators' queries from the bucket. Any number of
 * instances: the tallies are shared and idempotent by stream sequence.
 */
export const reporting: ServiceModule<typeof reportingConfig> = {
  name: 'reporting',
  defaultGrpcPort: 50068,
  config: reportingConfig,
  async start({ config, nc, log }) {
    await ensureHubStreams(nc);
    const store = await TallyStore.open(nc);
    const common = { store, log, batch: config.REPORTING_BATCH };
    const tallies = [
      await StreamTally.start(nc, {
        ...common,
        stream: streams.responses.name,
        durable: consumers.reportingResponses,
        filterSubject: streams.responses.subjects[0],
        source: 'responses',
        factsOf: responseFacts,
      }),
      await StreamTally.start(nc, {
        ...common,
        stream: streams.accounting.name,
        durable: consumers.reportingAccounting,
        filterSubject: streams.accounting.subjects[0],
        source: 'accounting',
        factsOf: decisionFacts,
      }),
    ];
    // How far the accounting tally is behind (the responses tally's lag is reported by access control, which
    // observes every consumer of RESPONSES).
    const unobserve = observeConsumerLag(nc, streams.accounting.name, () => consumers.reportingAccounting);
    const access = operatorAccessOf(config);
    if (access.allowPlaintext)
      log.warn('OPERATIONS_API_PLAINTEXT: the reports answer unauthenticated callers');
    log.info({ operators: access.operatorIds.size }, 'reporting ready');
    return {
      grpc: [
        {
          name: 'dcc.v1.ReportingService',
          definition: tolerantDefinition(ReportingServiceService),
          implementation: reportingApi(store, access),
        },
      ],
      drain: async () => {
        unobserve();
        await Promise.all(tallies.map((tally) => tally.drain()));
      },
    };
  },
};
