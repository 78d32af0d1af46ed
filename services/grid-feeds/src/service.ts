import { DurablePublisher, ensureHubStreams } from '@dcc/bus';
import { parseEui64 } from '@dcc/domain';
import type { ServiceModule } from '@dcc/service-kit';
import { AlertFeed } from './alert-feed.js';
import { gridFeedsConfig } from './config.js';
import { FeedPublisher } from './feed-publisher.js';
import { GridWindows } from './grid-windows.js';
import { WindowFlusher } from './window-flusher.js';

/**
 * grid-feeds: the network operators' smart-grid feeds (docs/grid-feeds.md). Reads the devices' alerts from
 * ALERTS, publishes the network events among them to each operator's `grid.<dno>.…` subjects (JetStream
 * stream `GRID_<dno>`, protobuf and JSON), and every window a bounded summary per feeder and aggregates per
 * feeder and substation. Serves only gRPC health and reflection. Run one instance: the windows are per process.
 */
export const gridFeeds: ServiceModule<typeof gridFeedsConfig> = {
  name: 'grid-feeds',
  defaultGrpcPort: 50065,
  config: gridFeedsConfig,
  async start({ config, nc, requester, log }) {
    await ensureHubStreams(nc);
    const feeds = new FeedPublisher(nc, new DurablePublisher(requester), {
      maxAgeDays: config.GRID_RETENTION_DAYS,
      maxBytes: config.GRID_STREAM_MAX_BYTES,
    });
    const operators = config.GRID_NETWORK_OPERATORS.split(',')
      .map((id) => id.trim())
      .filter((id) => id !== '')
      .map((id) => parseEui64(id, 'GRID_NETWORK_OPERATORS'));
    for (const id of operators) await feeds.prepare(id);
    const windows = new GridWindows(Date.now());
    const flusher = new WindowFlusher({
      windows,
      feeds,
      log,
      summaryWindowMs: config.GRID_SUMMARY_WINDOW_MS,
      aggregatePeriodMs: config.GRID_AGGREGATE_PERIOD_MS,
    });
    const alerts = await AlertFeed.start(nc, {
      requester,
      feeds,
      windows,
      log,
      registrationTimeoutMs: config.REGISTRATION_TIMEOUT_MS,
    });
    flusher.start();
    log.info({ networkOperators: operators.length }, 'grid feeds ready');
    return {
      grpc: [],
      drain: async () => {
        await alerts.drain();
        await flusher.stop();
      },
    };
  },
};
