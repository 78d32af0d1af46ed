import { consumers, DurableConsumer, requestTyped, streams, subjects, type Requester } from '@dcc/bus';
import { DccError, parseEui64 } from '@dcc/domain';
import {
  DeviceAlertRaised,
  DevicePartiesRequest,
  DevicePartiesResponse,
  GridEventKind,
  GridMeterEvent,
} from '@dcc/proto';
import type { Logger } from '@dcc/service-kit';
import type { NatsConnection } from '@nats-io/transport-node';
import type { FeedPublisher } from './feed-publisher.js';
import { gridAlertMeaning } from './grid-alerts.js';
import type { GridWindows } from './grid-windows.js';

/** The area token of a meter point registration holds no feeder or substation for. */
export const UNKNOWN_AREA = 'unknown';

/** Alerts handed out to this consumer and not yet published, across grid-feeds instances. */
const MAX_ALERTS_IN_FLIGHT = 1_000;

const FEED_OF = {
  [GridEventKind.GRID_EVENT_KIND_OUTAGE]: 'outage',
  [GridEventKind.GRID_EVENT_KIND_RESTORE]: 'restore',
  [GridEventKind.GRID_EVENT_KIND_VOLTAGE]: 'voltage',
} as const;

export interface AlertFeedOptions {
  requester: Requester;
  feeds: FeedPublisher;
  windows: GridWindows;
  log: Pick<Logger, 'warn'>;
  registrationTimeoutMs: number;
}

/**
 * The device alerts that are network events (outage, restore, voltage) as per-meter grid feed events: a durable
 * consumer `grid-feeds` on ALERTS; per alert, registration names the network operator of the device's point at
 * the alert's time and the point's feeder and substation; the event is stored on the DNO's feed (both forms)
 * and counted in the feeder's windows, and only then is the alert acknowledged. Other alerts are acknowledged
 * untouched; a grid alert of a point with no network operator reaches no feed.
 */
export class AlertFeed {
  readonly stats = { published: 0, notGrid: 0, noNetworkOperator: 0 };
  private consumer?: DurableConsumer<DeviceAlertRaised>;
  /**
   * The last alert in hand per device: the consumer runs alerts concurrently, and one meter's outage must not be
   * overtaken by its restore (its registration lookup may answer later), so a device's alerts wait for the one
   * before, in the order ALERTS delivered them.
   */
  private readonly latest = new Map<string, Promise<void>>();

  private constructor(private readonly options: AlertFeedOptions) {}

  static async start(nc: NatsConnection, options: AlertFeedOptions): Promise<AlertFeed> {
    const feed = new AlertFeed(options);
    feed.consumer = await DurableConsumer.start(nc, {
      stream: streams.alerts.name,
      durable: consumers.gridFeeds,
      filterSubject: streams.alerts.subjects[0],
      codec: DeviceAlertRaised,
      what: 'device alert',
      maxAckPending: MAX_ALERTS_IN_FLIGHT,
      handle: (event, msg) => feed.handle(event, msg.headers?.get('Nats-Msg-Id') ?? ''),
      onRejected: (error, msg) => options.log.warn({ err: error, subject: msg.subject }, 'alert dropped'),
    });
    return feed;
  }

  async drain(): Promise<void> {
    await this.consumer?.drain();
  }

  /** `alertId`: the alert's message id on ALERTS (its identity, given by the adapter that stored it). */
  handle(event: DeviceAlertRaised, alertId: string): Promise<void> {
    const device = event.deviceId;
    const mine = (this.latest.get(device) ?? Promise.resolve())
      .catch(() => undefined) // the one before failed: it is redelivered; this one goes on
      .then(() => this.publish(event, alertId));
    this.latest.set(device, mine);
    void mine
      .finally(() => {
        if (this.latest.get(device) === mine) this.latest.delete(device);
      })
      .catch(() => undefined);
    return mine;
  }

  private async publish(event: DeviceAlertRaised, alertId: string): Promise<void> {
    const alert = event.alert;
    if (!alert) throw DccError.invalidArgument('alert without its alert');
    const meaning = gridAlertMeaning(alert.code);
    if (!meaning) {
      this.stats.notGrid++;
      return;
    }
    const deviceId = parseEui64(event.deviceId, 'alert device id');
    const parties = await requestTyped(
      this.options.requester,
      subjects.registrationParties,
      { codec: DevicePartiesRequest, message: { deviceId, instantMs: event.raisedAtMs } },
      DevicePartiesResponse,
      this.options.registrationTimeoutMs,
    );
    if (!parties.networkOperatorId) {
      this.stats.noNetworkOperator++;
      return;
    }
    const message: GridMeterEvent = {
      networkOperatorId: parties.networkOperatorId,
      feeder: parties.feeder || UNKNOWN_AREA,
      substation: parties.substation || UNKNOWN_AREA,
      mpxn: parties.mpxn,
      deviceId,
      kind: meaning.kind,
      alertCode: alert.code,
      phase: meaning.phase,
      raisedAtMs: event.raisedAtMs,
      deviceTimeMs: alert.atMs,
      voltageExcursion: meaning.voltageExcursion,
      excursionEnded: meaning.excursionEnded,
      longOutage: meaning.longOutage,
    };
    const feed = FEED_OF[meaning.kind as keyof typeof FEED_OF];
    // The alert's identity as its message id: a redelivered alert is a duplicate the DNO's stream drops, and
    // is not counted again in the windows.
    const id = alertId || `${deviceId}:${alert.code}:${alert.atMs}:${alert.requestId}`;
    const fresh = await this.options.feeds.publish(
      parties.networkOperatorId,
      feed,
      message.feeder,
      GridMeterEvent,
      message,
      `alert:${id}`,
    );
    if (fresh) this.options.windows.record(message);
    this.stats.published++;
  }
}
