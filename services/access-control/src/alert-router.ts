import {
  consumers,
  DurableConsumer,
  requestTyped,
  streams,
  subjects,
  type DurablePublisher,
  type Requester,
} from '@dcc/bus';
import {
  ALERT_DISPATCH_TABLE,
  DccError,
  deviceAlertRecipients,
  parseEui64,
  parseRequestId,
  type AlertRecipient,
  type Eui64,
} from '@dcc/domain';
import {
  AlertKind,
  AlertOccasion,
  DeviceAlertRaised,
  DevicePartiesRequest,
  DevicePartiesResponse,
  ServiceResponse,
} from '@dcc/proto';
import type { Logger } from '@dcc/service-kit';
import { partyToWire } from './alert-dispatch-wire.js';

/** Alerts routed but not yet stored on every recipient's Responses, across the router's instances. */
const MAX_ALERTS_IN_FLIGHT = 1_000;

export interface AlertRouterOptions {
  requester: Requester;
  publisher: DurablePublisher;
  log: Pick<Logger, 'warn'>;
  registrationTimeoutMs: number;
}

/**
 * Routes the devices' alerts (ALERTS, `dcc.evt.alert.<device>`) to the Users they belong to: the dispatching
 * table (libs/domain) names the parties, registration names who they were at the alert's time, and each gets a
 * DUIS-style alert (a ServiceResponse whose body is an AlertNotice) on its Responses stream. One durable
 * consumer shared by every access-control instance: an alert is acknowledged only once stored for all its
 * recipients, so a crash redelivers it, and the per-recipient message id makes the redelivery a duplicate the
 * Responses stream drops.
 */
export class AlertRouter {
  readonly stats = { routed: 0, unroutable: 0 };
  private consumer?: DurableConsumer<DeviceAlertRaised>;

  private constructor(private readonly options: AlertRouterOptions) {}

  static async start(
    nc: Parameters<typeof DurableConsumer.start>[0],
    options: AlertRouterOptions,
  ): Promise<AlertRouter> {
    const router = new AlertRouter(options);
    router.consumer = await DurableConsumer.start(nc, {
      stream: streams.alerts.name,
      durable: consumers.alertRouter,
      filterSubject: streams.alerts.subjects[0],
      codec: DeviceAlertRaised,
      what: 'device alert',
      maxAckPending: MAX_ALERTS_IN_FLIGHT,
      handle: (event) => router.route(event),
      onRejected: (error, msg) => options.log.warn({ err: error, subject: msg.subject }, 'alert dropped'),
    });
    return router;
  }

  async drain(): Promise<void> {
    await this.consumer?.drain();
  }

  /** Stores the alert on each recipient's Responses; resolves when all are durable. */
  async route(event: DeviceAlertRaised): Promise<void> {
    const deviceId = parseEui64(event.deviceId, 'alert device id');
    const alert = event.alert;
    if (!alert || !/^[0-9A-F]{4}$/.test(alert.code)) throw DccError.invalidArgument('alert without a code');
    const parties = await requestTyped(
      this.options.requester,
      subjects.registrationParties,
      { codec: DevicePartiesRequest, message: { deviceId, instantMs: event.raisedAtMs } },
      DevicePartiesResponse,
      this.options.registrationTimeoutMs,
    );
    const originating = alert.requestId || event.commandRequestId;
    const recipients = new Map<Eui64, AlertRecipient>();
    for (const party of deviceAlertRecipients(Number.parseInt(alert.code, 16))) {
      const userId = recipientOf(party, parties, alert.requestId);
      if (userId && !recipients.has(userId)) recipients.set(userId, party);
    }
    // The User whose command's answer carried the alert has it already.
    const answered =
      event.occasion === AlertOccasion.ALERT_OCCASION_COMMAND
        ? originatorOf(event.commandRequestId)
        : undefined;
    if (answered) recipients.delete(answered);
    if (recipients.size === 0) this.stats.unroutable++;
    for (const [userId, party] of recipients) {
      await this.options.publisher.publish(
        subjects.userResponses(userId),
        ServiceResponse,
        {
          requestId: originating,
          responseId: '',
          responseCode: '',
          serviceReferenceVariant: '',
          responseDateTimeMs: event.raisedAtMs,
          detail: '',
          statusCode: 0,
          alerts: [],
          deviceOutcome: undefined,
          body: {
            $case: 'alert',
            value: {
              kind: AlertKind.ALERT_KIND_DEVICE,
              alertCode: alert.code,
              deviceId,
              mpxn: parties.mpxn,
              raisedAtMs: event.raisedAtMs,
              deviceTimeMs: alert.atMs,
              originatingRequestId: originating,
              recipient: partyToWire(party),
              dispatchTableVersion: ALERT_DISPATCH_TABLE.version,
            },
          },
        },
        `alert:${deviceId}:${alert.code}:${alert.atMs}:${alert.requestId}>${userId}`,
      );
      this.stats.routed++;
    }
  }
}

function recipientOf(
  party: AlertRecipient,
  parties: DevicePartiesResponse,
  reportedRequestId: string,
): Eui64 | undefined {
  switch (party) {
    case 'supplier':
      return parties.supplierId ? parseEui64(parties.supplierId) : undefined;
    case 'networkOperator':
      return parties.networkOperatorId ? parseEui64(parties.networkOperatorId) : undefined;
    case 'originator':
      return originatorOf(reportedRequestId);
    case 'hub':
      return undefined;
  }
}

/** The User that sent a request: the RequestID's first part (undefined when there is none or it is malformed). */
function originatorOf(requestId: string): Eui64 | undefined {
  if (!requestId) return undefined;
  try {
    return parseRequestId(requestId).originator;
  } catch {
    return undefined;
  }
}
