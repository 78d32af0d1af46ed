import type { Eui64 } from '@dcc/domain';

/**
 * Every NATS subject the hub uses, built in one place so services never concatenate subject strings.
 * Conventions (docs/architecture.md): `dcc.<service>.<verb>` for request/reply, `dcc.evt.<domain>.<what>` for
 * events, `dcc.meter.<generation>.<partition>.<deviceId>` for actor mail, `dcc.resp.<userId>` for responses.
 */
export type MeterPath = 's1' | 's2';

/**
 * The feeds a network operator subscribes to under `grid.<dnoId>.<feed>.<area>` (docs/grid-feeds.md): per-meter
 * events `outage`, `restore`, `voltage` (area: the feeder); `outage-summary`, one event per feeder per window
 * however many meters lost supply (area: the feeder); periodic `aggregate` per feeder and
 * `substation-aggregate` per substation (area: the substation).
 */
export const GRID_FEEDS = [
  'outage',
  'restore',
  'voltage',
  'outage-summary',
  'aggregate',
  'substation-aggregate',
] as const;
export type GridFeed = (typeof GRID_FEEDS)[number];

/**
 * A region, feeder or substation name as one NATS subject token: letters, digits, '-' and '_' only (a '.' would
 * add a level, '*' and '>' are wildcards), so a DNO's permission on `grid.<its id>.>` covers exactly its areas.
 */
const AREA_TOKEN = /^[A-Za-z0-9_-]+$/;

function areaToken(area: string): string {
  if (!AREA_TOKEN.test(area)) throw new Error(`grid area "${area}" is not a NATS subject token`);
  return area;
}

export const subjects = {
  /** Mail for one meter actor; stored in the METER_MAIL stream until the adapter has answered it. */
  meterMail: (path: MeterPath, partition: number, deviceId: Eui64): string =>
    `dcc.meter.${path}.${partition}.${deviceId}`,
  /** All mail of one delivery path (what one adapter fleet consumes). */
  meterMailOfPath: (path: MeterPath): string => `dcc.meter.${path}.>`,
  /**
   * The DCO lane of one SMETS1 cohort (request/reply, no stream): only the smets1-adapter instance holding the
   * cohort's lane lease listens; the other instances hand the cohort's commands to it here.
   */
  dcoLane: (cohort: string): string => `dcc.dco.${cohort}`,
  /** The durable response stream of one User. */
  userResponses: (userId: Eui64): string => `dcc.resp.${userId}`,
  /** Request/reply verb of a service. */
  serviceVerb: (service: string, verb: string): string => `dcc.${service}.${verb}`,
  /**
   * Access control's record of one decision on a Service Request (RequestAccounted), charged to its User: the
   * ACCOUNTING stream, read by the reporting service.
   */
  requestAccounting: (userId: Eui64): string => `dcc.evt.accounting.${userId}`,
  /** A domain event. */
  event: (domain: string, what: string): string => `dcc.evt.${domain}.${what}`,
  /** One kind of registration event (services/registration), e.g. `dcc.evt.registration.appointment`. */
  registrationEvent: (kind: string): string => `dcc.evt.registration.${kind}`,
  /** Request/reply: may (User, role) address this device at this instant? ok / E19 / E4 and device status. */
  registrationAuthorise: 'dcc.registration.authorise',
  /**
   * Request/reply: several authorise checks in one message (AuthoriseRegistrationBatchRequest → one answer each,
   * in order), each decided for its own instant as `registrationAuthorise` would decide it alone.
   */
  registrationAuthoriseBatch: 'dcc.registration.authorise.batch',
  /**
   * Request/reply: who holds a device's meter point at an instant (DevicePartiesRequest → DevicePartiesResponse),
   * for routing its alerts.
   */
  registrationParties: 'dcc.registration.parties',
  /**
   * Request/reply: the smart electricity meters on a feeder or substation (GridMetersRequest →
   * GridMetersResponse), for the device edge's simulated network events.
   */
  registrationGridMeters: 'dcc.registration.grid.meters',
  /**
   * Where the prepayment service asks a supplier to approve a top-up (TopUpApprovalRequest →
   * TopUpApprovalResponse); the supplier's own system answers it.
   */
  prepaymentApproval: (supplierId: Eui64): string => `dcc.prepayment.approval.${supplierId}`,
  /** An alert one device raised (DeviceAlertRaised), stored in ALERTS by the meter adapters. */
  deviceAlert: (deviceId: Eui64): string => `dcc.evt.alert.${deviceId}`,
  /** Request/reply: SRV 8.2 Read Inventory (ReadInventoryRequest → ReadInventoryResponse), routed by access control. */
  registrationInventoryRead: 'dcc.registration.inventory.read',
  /**
   * Request/reply: SRVs 8.3 Decommission Device, 8.4 Update Inventory and 12.2 Device Pre-notification routed by
   * access control (RoutedInventoryChangeRequest → RoutedInventoryChangeResponse); registration checks ownership.
   */
  registrationInventoryChange: 'dcc.registration.inventory.change',
  /**
   * Request/reply: SRV 12.1 Request WAN Matrix routed by access control (RequestWanMatrixRequest →
   * WanMatrixResponse), answered by registration from the estate it holds.
   */
  registrationWanMatrix: 'dcc.registration.wan.matrix',
  /**
   * Request/reply: a device executed an 8.5 Service Opt Out (ServiceOptOutReport → ServiceOptOutReply), from the
   * meter adapters; registration records the device Withdrawn (opted out of DCC services).
   */
  registrationOptOut: 'dcc.registration.opt.out',
  /**
   * Request/reply: a device executed a HAN join or unjoin (HanLinkReport → HanLinkReply), from the meter adapters;
   * registration keeps the inventory's meter-to-HAN-device links in step.
   */
  registrationHanLinks: 'dcc.registration.han.links',
  /**
   * Request/reply: the saved device log of the old CHF or GPF an 8.12.x restore names, asked by access control
   * before it acknowledges the request (SavedDeviceLogRequest → SavedDeviceLogReply).
   */
  registrationDeviceLog: 'dcc.registration.device.log',
  /**
   * Request/reply: a new CHF or GPF executed an 8.12.x restore (DeviceLogRestoredReport → DeviceLogRestoredReply),
   * from the meter adapters; registration moves the old device's links to it.
   */
  registrationDeviceLogRestored: 'dcc.registration.device.log.restored',
  /**
   * Request/reply: SRVs 8.13 Return Local Command Response and 8.14.x Communications Hub Status Update routed by
   * access control (RoutedChfOperationRequest → RoutedChfOperationResponse); registration checks ownership.
   */
  registrationChfOperation: 'dcc.registration.chf.operation',
  /**
   * Request/reply: SRVs 5.1, 5.2 and 5.3 routed by access control (RoutedScheduleRequest → RoutedScheduleResponse),
   * answered by the scheduling service.
   */
  schedulingRequest: 'dcc.scheduling.request',
  /** The scheduling service's due index: the schedule runs falling due in one time bucket (SCHEDULE_DUE). */
  scheduleDue: (bucket: number): string => `dcc.sched.due.${bucket}`,
  /** Runs of DCC schedules on their way to access control's run-time checks (SCHEDULED_RUNS). */
  scheduledRun: 'dcc.sched.run',
  /**
   * One request held by anomaly detection (QUARANTINE stream; one record per subject), by its RequestID parts:
   * `dcc.quarantine.<userId>.<targetId>.<counter>`.
   */
  quarantined: (userId: Eui64, targetId: Eui64, counter: bigint): string =>
    `dcc.quarantine.${userId}.${targetId}.${counter}`,
  /** Every quarantined request of one User. */
  userQuarantine: (userId: Eui64): string => `dcc.quarantine.${userId}.>`,
  /**
   * Smart-grid feeds of one network operator (DNO): `grid.<dnoId>.<feed>.<region-or-feeder>`. Outside `dcc.`
   * on purpose: nats-server lets each DNO subscribe to its own `grid.<dnoId>.>` and nothing of the hub's. The
   * DNO id is its EUI-64 as the hub writes it (`90-B3-D5-1F-30-02-00-00`): '-' is legal in a subject token.
   */
  grid: (dnoId: Eui64, feed: GridFeed, area: string): string => `grid.${dnoId}.${feed}.${areaToken(area)}`,
  /** The JSON form of the event on `grid(...)`: the same subject with a last token `json`. */
  gridJson: (dnoId: Eui64, feed: GridFeed, area: string): string =>
    `grid.${dnoId}.${feed}.${areaToken(area)}.json`,
  /** One feed of one DNO, every area, protobuf form (`gridFeedOfDno(...) + '.json'`: the JSON form). */
  gridFeedOfDno: (dnoId: Eui64, feed: GridFeed): string => `grid.${dnoId}.${feed}.*`,
  /** Every feed of one DNO in protobuf. */
  gridProtobufOfDno: (dnoId: Eui64): string => `grid.${dnoId}.*.*`,
  /** Every feed of one DNO in JSON. */
  gridJsonOfDno: (dnoId: Eui64): string => `grid.${dnoId}.*.*.json`,
  /** Everything of one DNO (both forms): what its NATS account imports and its user may subscribe to. */
  gridOfDno: (dnoId: Eui64): string => `grid.${dnoId}.>`,
} as const;

/** JetStream streams and the subjects they capture. */
export const streams = {
  /** Accepted requests on their way to meter actors; work-queue retention: removed once answered. */
  meterMail: { name: 'METER_MAIL', subjects: ['dcc.meter.>'] },
  /** Responses per User, kept for the retention period whether or not the User is connected. */
  responses: { name: 'RESPONSES', subjects: ['dcc.resp.>'] },
  /** Every decision on a Service Request (accepted or refused), per User: the basis of service accounting. */
  accounting: { name: 'ACCOUNTING', subjects: ['dcc.evt.accounting.>'] },
  /** The registration record: every accepted registration/inventory change; limits, file, never expires. */
  registration: { name: 'REGISTRATION', subjects: ['dcc.evt.registration.>'] },
  /** Every alert devices raised, until the alert router has stored it on its recipients' Responses; limits, file. */
  alerts: { name: 'ALERTS', subjects: ['dcc.evt.alert.>'] },
  /** Requests held by anomaly detection until their User releases or deletes them; limits, file, no expiry. */
  quarantine: { name: 'QUARANTINE', subjects: ['dcc.quarantine.>'] },
  /** The scheduling service's due index, one subject per time bucket, purged once the bucket has run. */
  scheduleDue: { name: 'SCHEDULE_DUE', subjects: ['dcc.sched.due.>'] },
  /** Runs of DCC schedules until access control has checked and stored them; work-queue retention. */
  scheduledRuns: { name: 'SCHEDULED_RUNS', subjects: ['dcc.sched.run'] },
  /**
   * One DNO's grid feeds, one stream per DNO so that nats-server can scope the DNO's JetStream API rights to
   * its own stream by name (stream names may contain '-').
   */
  gridFeed: (dnoId: Eui64) => ({ name: `GRID_${dnoId}`, subjects: [subjects.gridOfDno(dnoId)] }),
} as const;

/**
 * The JetStream API prefix a DNO's client uses (`jetstream(nc, { apiPrefix })`): its account has no JetStream of
 * its own (the server would answer `$JS.API.…` there with "not enabled"), so the hub's consumer API is imported
 * under this prefix.
 */
export const GRID_JS_API_PREFIX = 'JS.HUB.API';

/**
 * The JetStream API subjects a DNO uses to read its feed stream through the hub's durable consumers: pull the
 * next messages, read a consumer's info (`hub`: as the hub's account serves them; `local`: as the DNO's account
 * imports them), and acknowledge (the reply subject of each delivered event, the same in both accounts).
 */
export function consumerApiOfGridFeed(dnoId: Eui64): {
  hub: { next: string; info: string };
  local: { next: string; info: string };
  ack: string;
} {
  const stream = streams.gridFeed(dnoId).name;
  const api = (prefix: string) => ({
    next: `${prefix}.CONSUMER.MSG.NEXT.${stream}.*`,
    info: `${prefix}.CONSUMER.INFO.${stream}.*`,
  });
  return { hub: api('$JS.API'), local: api(GRID_JS_API_PREFIX), ack: `$JS.ACK.${stream}.>` };
}

const USER_RESPONSES = 'responses-';

/** Durable consumer names; NATS names cannot contain '.', '*', '>' or whitespace. */
export const consumers = {
  meterMail: (path: MeterPath): string => `meter-mail-${path}`,
  /** Each User's durable consumer on RESPONSES: `userResponsesPrefix` then its User ID. */
  userResponses: (userId: Eui64): string => `${USER_RESPONSES}${userId}`,
  userResponsesPrefix: USER_RESPONSES,
  /**
   * A DNO's durable consumers on its grid-feed stream, created by the hub (a DNO may not create one): `feed`
   * (every event in protobuf), `json` (every event in JSON), `summary` (outage summaries and aggregates in
   * protobuf: bounded traffic whatever the storm).
   */
  gridFeed: (dnoId: Eui64, name: 'feed' | 'json' | 'summary' = 'feed'): string => `grid-${dnoId}-${name}`,
  /** The alert router's durable consumer on ALERTS (shared by its instances). */
  alertRouter: 'alert-router',
  /** grid-feeds' durable consumer on ALERTS (shared by its instances). */
  gridFeeds: 'grid-feeds',
  /** The prepayment service's durable consumer on one supplier's responses (the 2.2 answers it follows). */
  prepaymentOutcomes: (supplierId: Eui64): string => `prepayment-outcomes-${supplierId}`,
  /** The reporting service's durable consumers on RESPONSES and ACCOUNTING (shared by its instances). */
  reportingResponses: 'reporting-responses',
  reportingAccounting: 'reporting-accounting',
  /** Access control's durable consumer on SCHEDULED_RUNS (shared by its instances). */
  scheduledRuns: 'scheduled-runs',
} as const;
