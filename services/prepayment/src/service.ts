import { ensureHubStreams } from '@dcc/bus';
import { PrepaymentServiceService } from '@dcc/proto';
import { identityList, tolerantDefinition, type ServiceModule } from '@dcc/service-kit';
import { readFileSync } from 'node:fs';
import { prepaymentApi } from './api.js';
import { prepaymentConfig } from './config.js';
import { Dispatcher } from './dispatch.js';
import { Ledger } from './ledger.js';
import { OutcomeFollower } from './outcome-follower.js';
import { RequestIndex } from './request-index.js';
import { readSupplierCredentials } from './supplier-credentials.js';
import { TopUps } from './top-ups.js';
import { UtrnCounters } from './utrn-counters.js';

/**
 * The prepayment service: payment channels' top-ups become the registered supplier's UTRNs, sent to the meter
 * with SRV 2.2 through access control once the supplier approved them; the ledger (JetStream KV) carries each
 * payment from receipt to the meter's outcome, which it follows on the supplier's responses.
 */
export const prepayment: ServiceModule<typeof prepaymentConfig> = {
  name: 'prepayment',
  defaultGrpcPort: 50067,
  config: prepaymentConfig,
  async start({ config, nc, requester, log }) {
    const channels = identityList(config.PREPAYMENT_CHANNEL_IDS, 'PREPAYMENT_CHANNEL_IDS');
    const ca = config.ACCESS_CONTROL_CA_FILE ? readFileSync(config.ACCESS_CONTROL_CA_FILE) : undefined;
    const supplierIds = identityList(config.PREPAYMENT_SUPPLIER_IDS, 'PREPAYMENT_SUPPLIER_IDS');
    const suppliers = readSupplierCredentials(
      config.PREPAYMENT_SUPPLIER_KEY_DIR,
      supplierIds,
      ca !== undefined,
    );
    const dispatcher = new Dispatcher(config.ACCESS_CONTROL_ADDRESS, ca, suppliers);
    const ledger = await Ledger.open(nc, requester);
    const requests = await RequestIndex.open(nc, requester);
    // The responses the follower reads and the alerts it consults are the request path's streams.
    await ensureHubStreams(nc);
    const follower = await OutcomeFollower.start({
      nc,
      ledger,
      requests,
      supplierIds: suppliers.keys(),
      log,
    });
    const topUps = new TopUps({
      ledger,
      counters: await UtrnCounters.open(nc, requester),
      dispatcher,
      requests,
      requester,
      suppliers,
      maxPence: config.PREPAYMENT_MAX_PENCE,
      approvalTimeoutMs: config.PREPAYMENT_APPROVAL_TIMEOUT_MS,
      approvalGiveUpMs: config.PREPAYMENT_APPROVAL_GIVE_UP_MS,
      manualEntryAfterMs: config.PREPAYMENT_MANUAL_ENTRY_AFTER_MS,
      pauseAfterIssueMs: config.PREPAYMENT_TEST_PAUSE_AFTER_ISSUE_MS,
      log,
    });
    // Payments a crash or an unreachable access control left between receipt and dispatch move on now, then
    // periodically; the ledger says where each stopped.
    let sweeping: Promise<unknown> | undefined;
    const sweep = () => {
      sweeping ??= topUps
        .resumeUnfinished()
        .then((moved) => moved > 0 && log.info({ moved }, 'unfinished top-ups moved on'))
        .catch((error: unknown) => log.error({ err: error }, 'top-up sweep failed'))
        .finally(() => (sweeping = undefined));
    };
    sweep();
    const timer = setInterval(sweep, config.PREPAYMENT_RETRY_MS);
    timer.unref();
    log.info({ channels: channels.size, suppliers: [...suppliers.keys()] }, 'prepayment ready');
    return {
      grpc: [
        {
          name: 'dcc.v1.PrepaymentService',
          definition: tolerantDefinition(PrepaymentServiceService),
          implementation: prepaymentApi(topUps, channels),
        },
      ],
      async drain() {
        clearInterval(timer);
        await sweeping;
        await follower.drain();
        dispatcher.close();
      },
    };
  },
};
